from django.urls import path

from ceasefire.places import views

app_name = "places"
urlpatterns = [
    path("", views.place_list, name="list"),
]
