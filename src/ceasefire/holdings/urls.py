from django.urls import path

from ceasefire.holdings import views

app_name = "holdings"
urlpatterns = [
    path("", views.reconciliation, name="reconciliation"),
    path("reconciliation.csv", views.reconciliation_export, name="export"),
]
