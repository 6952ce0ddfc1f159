from django.urls import include, path
from django.views.i18n import set_language

from ceasefire.api import api

urlpatterns = [
    path("", include("ceasefire.core.urls")),
    path("accounts/", include("ceasefire.accounts.urls")),
    path("", include("ceasefire.ledger.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/", api.urls),
]
