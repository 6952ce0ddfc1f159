from django.urls import path

from ceasefire.people import views

app_name = "people"
urlpatterns = [
    path("", views.person_list, name="list"),
    path("new", views.register, name="register"),
    path("search", views.search, name="search"),
    path("<int:person_id>/", views.detail, name="detail"),
    path("<int:person_id>/reveal", views.reveal, name="reveal"),
    path("<int:person_id>/certificate", views.certificate, name="certificate"),
    path("<int:person_id>/amnesty", views.amnesty_apply, name="amnesty_apply"),
    path("applications/<int:application_id>/decide", views.amnesty_decide, name="amnesty_decide"),
    path("<int:person_id>/erase", views.erase, name="erase"),
]
