from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ceasefire.accounts.models import Party, User
from ceasefire.caches import services
from ceasefire.caches.models import Cache
from ceasefire.core.errors import Conflict, PermissionDenied, ValidationFailed
from ceasefire.ledger.models import LogEntry
from ceasefire.registry.models import CustodyEvent
from ceasefire.stores.models import Placement
from tests.registry import factories as registry
from tests.stores import factories

pytestmark = pytest.mark.django_db

LAT, LON = 40_987_654, 45_123_457


def report(user: User, party: Party | None = None) -> Cache:
    return services.cache_report(
        user=user,
        origin="reported" if party else "found",
        party=party,
        lat_microdeg=LAT,
        lon_microdeg=LON,
        reported_at=timezone.now() - timedelta(days=2),
        description="Buried crates behind the mill.",
    )


def verified(user: User, party: Party) -> Cache:
    cache = report(user, party)
    services.cache_visit(
        user=user,
        cache=cache,
        visited_at=timezone.now() - timedelta(days=1),
        findings="Six crates found.",
    )
    cache.refresh_from_db()
    return cache


def log_text() -> str:
    return b"\n".join(
        bytes(body) for body in LogEntry.objects.values_list("body", flat=True)
    ).decode()


class TestLocation:
    def test_a_sealed_cache_location_appears_in_no_public_page_export_or_log_entry(
        self, cast: dict[str, User], client_as: Callable[[str], Client]
    ) -> None:
        report(cast["field"], Party.objects.get(code="north"))
        public = client_as("public")
        pages = [
            public.get(reverse("caches:public_map")).content,
            public.get(reverse("ledger:totals")).content,
            public.get(reverse("core:home")).content,
        ]
        for index in LogEntry.objects.values_list("index", flat=True):
            pages.append(public.get(reverse("ledger:entry", args=[index])).content)
        analyst_export = client_as("analyst").get(reverse("holdings:export"))
        pages.append(b"".join(analyst_export.streaming_content))  # type: ignore[attr-defined]
        for text in [*(page.decode() for page in pages), log_text()]:
            assert str(LAT) not in text and str(LON) not in text
            assert "40.987654" not in text and "45.123457" not in text

    def test_clearing_a_cache_opens_its_location_and_puts_it_on_the_public_map(
        self, cast: dict[str, User], client_as: Callable[[str], Client]
    ) -> None:
        cache = verified(cast["field"], Party.objects.get(code="north"))
        services.cache_clear(user=cast["field"], cache=cache)
        assert str(LAT) in log_text()
        geojson = client_as("public").get(reverse("caches:public_map")).json()
        assert geojson["features"][0]["properties"]["cache"] == cache.number
        assert geojson["features"][0]["geometry"]["coordinates"] == [45.123457, 40.987654]

    def test_a_cache_is_cleared_only_after_a_visit(self, cast: dict[str, User]) -> None:
        cache = report(cast["field"])
        with pytest.raises(Conflict):
            services.cache_clear(user=cast["field"], cache=cache)
        assert str(LAT) not in log_text()


class TestContents:
    def test_contents_destroyed_on_site_start_and_end_custody_at_the_cache(
        self, cast: dict[str, User]
    ) -> None:
        cache = verified(cast["field"], Party.objects.get(code="north"))
        find = services.cache_contents_record(
            user=cast["field"],
            cache=cache,
            lines=[registry.lot(category="explosive", calibre="TNT blocks", quantity=12)],
            collection_point=registry.collection_point(),
            found_at=timezone.now() - timedelta(hours=3),
            witnesses=["Witness of north"],
            destroy_method="Detonation in place",
        )
        events = CustodyEvent.objects.filter(item__receipt=find.receipt).order_by("pk")
        assert [e.kind for e in events] == ["collected", "destroyed"]
        assert {e.location for e in events} == {f"arms cache {cache.number}"}

    def test_contents_extracted_go_into_the_container(self, cast: dict[str, User]) -> None:
        cache = verified(cast["field"], Party.objects.get(code="north"))
        container = factories.container(cast["storage"], [])
        find = services.cache_contents_record(
            user=cast["field"],
            cache=cache,
            lines=[registry.weapon(), registry.weapon()],
            collection_point=registry.collection_point(),
            found_at=timezone.now() - timedelta(hours=3),
            witnesses=["Witness of north"],
            container=container,
        )
        assert Placement.objects.filter(container=container).count() == 2
        assert find.receipt.items.count() == 2

    def test_bad_input_gets_a_clear_message_and_writes_nothing(self, cast: dict[str, User]) -> None:
        cache = verified(cast["field"], Party.objects.get(code="north"))
        entries = LogEntry.objects.count()
        with pytest.raises(ValidationFailed, match="Either give the method"):
            services.cache_contents_record(
                user=cast["field"],
                cache=cache,
                lines=[registry.weapon()],
                collection_point=registry.collection_point(),
                found_at=timezone.now(),
                witnesses=["Witness of north"],
            )
        with pytest.raises(ValidationFailed, match="reported by a party or found"):
            services.cache_report(
                user=cast["field"],
                origin="rumoured",
                lat_microdeg=LAT,
                lon_microdeg=LON,
                reported_at=timezone.now(),
            )
        with pytest.raises(PermissionDenied):
            report(cast["analyst"])
        assert LogEntry.objects.count() == entries
