from django.urls import path

from ceasefire.convoys import views

app_name = "convoys"
urlpatterns = [
    path("", views.convoy_list, name="list"),
    path("new/", views.convoy_create, name="create"),
    path("<int:pk>/", views.convoy_detail, name="detail"),
    path("<int:pk>/notify/", views.convoy_notify, name="notify"),
    path("<int:pk>/acknowledge/", views.convoy_acknowledge, name="acknowledge"),
    path("<int:pk>/departure/", views.convoy_depart, name="depart"),
    path("<int:pk>/movements/new/", views.event_add, name="event_add"),
    path("<int:pk>/arrival/", views.convoy_arrive, name="arrive"),
    path("<int:pk>/losses/new/", views.loss_add, name="loss_add"),
    path("crossings/", views.crossing_list, name="crossings"),
    path("crossings/new/", views.crossing_create, name="crossing_create"),
]
