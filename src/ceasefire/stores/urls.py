from django.urls import path

from ceasefire.stores import views

app_name = "stores"
urlpatterns = [
    path("", views.container_list, name="containers"),
    path("<int:pk>/", views.container_detail, name="container"),
    path("destructions/<int:pk>/certificate.pdf", views.certificate, name="certificate"),
]
