from django.urls import path

from ceasefire.incidents import views

app_name = "incidents"
urlpatterns = [
    path("", views.incident_list, name="list"),
    path("new/", views.incident_create, name="create"),
    path("<int:pk>/", views.incident_detail, name="detail"),
    path("<int:pk>/verification/", views.incident_verify, name="verify"),
    path("<int:pk>/evidence/new/", views.evidence_add, name="evidence_add"),
    path("<int:pk>/evidence/<int:evidence_id>/", views.evidence_file, name="evidence"),
]
