from django.urls import path

from ceasefire.ledger import views

app_name = "ledger"
urlpatterns = [
    path("log/checkpoint", views.checkpoint, name="checkpoint"),
    path("log/tile/<path:path>", views.tile, name="tile"),
    path("log/key", views.key, name="key"),
    path("log/proof/<int:index>", views.proof, name="proof"),
    path("verify/<int:index>", views.entry, name="entry"),
    path("public/totals.json", views.totals_json, name="totals"),
    path("public/totals/publish", views.totals_publish, name="totals_publish"),
]
