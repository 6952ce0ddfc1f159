from django.urls import path

from ceasefire.caches import views

app_name = "caches"
urlpatterns = [
    path("", views.cache_list, name="list"),
    path("cleared.geojson", views.public_map, name="public_map"),
]
