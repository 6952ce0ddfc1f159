from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from ceasefire.accounts.models import User
from ceasefire.incidents.models import Evidence
from tests import factories
from tests.incidents.factories import JPEG, incident

pytestmark = pytest.mark.django_db


def test_a_liaison_sees_incidents_alleged_against_their_party_only(
    cast: dict[str, User], client_as: Callable[[str], Client]
) -> None:
    mine, theirs = incident(factories.party("north")), incident(factories.party("south"))
    liaison = client_as("liaison_north")
    assert liaison.get(f"/incidents/{mine.pk}/").status_code == 200
    assert liaison.get(f"/incidents/{theirs.pk}/").status_code == 404


def test_evidence_is_uploaded_and_downloaded_with_its_hash(
    cast: dict[str, User], client_as: Callable[[str], Client]
) -> None:
    reported = incident()
    field = client_as("field")
    response = field.post(
        f"/incidents/{reported.pk}/evidence/new/",
        {"file": SimpleUploadedFile("photo.jpg", JPEG, content_type="image/jpeg")},
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    download = field.get(f"/incidents/{reported.pk}/evidence/{evidence.pk}/")
    assert b"".join(download.streaming_content) == JPEG  # type: ignore[attr-defined]
    assert download["X-Content-SHA256"] == evidence.sha256


def test_a_file_that_is_not_evidence_is_refused_with_a_message(
    cast: dict[str, User], client_as: Callable[[str], Client]
) -> None:
    reported = incident()
    response = client_as("field").post(
        f"/incidents/{reported.pk}/evidence/new/",
        {"file": SimpleUploadedFile("x.jpg", b"<html>", content_type="image/jpeg")},
    )
    assert response.status_code == 200
    assert "JPEG or PNG" in response.content.decode()
    assert not Evidence.objects.exists()
