from django.urls import path

from ceasefire.positions import map as map_views
from ceasefire.positions import views

app_name = "positions"
urlpatterns = [
    path("", views.position_list, name="list"),
    path("new/", views.position_create, name="create"),
    path("<int:pk>/", views.position_detail, name="detail"),
    path("<int:pk>/events/new/", views.event_add, name="event_add"),
    path("<int:pk>/events/<int:event_id>/confirm/", views.event_confirm, name="event_confirm"),
    path("map/", map_views.map_page, name="map"),
    path("map/data.geojson", map_views.map_data, name="map_data"),
    path("map/layers/", views.layer_list, name="layers"),
    path("map/layers/new/", views.layer_edit, name="layer_create"),
    path("map/layers/<slug:code>/", views.layer_edit, name="layer_edit"),
]
