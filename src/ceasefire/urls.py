from django.urls import include, path
from django.views.i18n import set_language

from ceasefire.api import api

urlpatterns = [
    path("", include("ceasefire.core.urls")),
    path("accounts/", include("ceasefire.accounts.urls")),
    path("audit/", include("ceasefire.audit.urls")),
    path("places/", include("ceasefire.places.urls")),
    path("positions/", include("ceasefire.positions.urls")),
    path("convoys/", include("ceasefire.convoys.urls")),
    path("incidents/", include("ceasefire.incidents.urls")),
    path("registry/", include("ceasefire.registry.urls")),
    path("people/", include("ceasefire.people.urls")),
    path("holdings/", include("ceasefire.holdings.urls")),
    path("stores/", include("ceasefire.stores.urls")),
    path("caches/", include("ceasefire.caches.urls")),
    path("", include("ceasefire.ledger.urls")),
    path("", include("ceasefire.reports.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("fieldsync/", include("ceasefire.fieldsync.urls")),
    path("api/", api.urls),
]
