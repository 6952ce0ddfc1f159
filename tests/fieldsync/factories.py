"""Factories for field collection tests."""

from __future__ import annotations

import io
from datetime import timedelta

from django.utils import timezone
from PIL import Image

from ceasefire.accounts.models import User
from ceasefire.fieldsync import services
from ceasefire.places import services as places
from ceasefire.places.models import Place
from ceasefire.registry.models import ReferenceWeapon
from tests.fieldsync.collect import Collect, instance_xml
from tests.registry.factories import collection_point


def phone(user: User, *, name: str = "Blue Samsung") -> Collect:
    """A Collect configured with a fresh device token of `user`."""
    _device, raw = services.device_create(user=user, name=name)
    return Collect(server=f"http://testserver/fieldsync/t/{raw}")


def jpeg(colour: str = "red") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(buffer, "JPEG")
    return buffer.getvalue()


def checkpoint(code: str = "kerb-bridge") -> Place:
    return Place.objects.filter(code=code).first() or places.place_create(
        code=code,
        kind=Place.Kind.CHECKPOINT,
        names=[places.NameForm(language="en", name="Kerb bridge", neutral=True)],
    )


def crossings_xml(instance_id: str, *, men: int = 12, disabled: int = 1) -> bytes:
    day = timezone.localdate() - timedelta(days=1)
    return instance_xml(
        "corridor_crossings",
        instance_id,
        f"<checkpoint>{checkpoint().code}</checkpoint><day>{day.isoformat()}</day>"
        f"<direction>inbound</direction><men>{men}</men><women>9</women>"
        f"<children>4</children><elderly>2</elderly><disabled>{disabled}</disabled>"
        "<vehicles>3</vehicles>",
    )


def handover_xml(
    instance_id: str, *, photos: tuple[str, ...] = (), serial: str = "KA7781"
) -> bytes:
    akm = ReferenceWeapon.objects.get(make="Kalashnikov", model="AKM")
    when = (timezone.now() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S.000+00:00")
    items = "".join(
        f"<item><kind>weapon</kind><category>assault_rifle</category><weapon>{akm.pk}</weapon>"
        f"<serial>{serial}{n}</serial><country>SU</country><year>1979</year>"
        f"<markings>present</markings><markings_location>receiver</markings_location>"
        f"<markings_photo>{photo}</markings_photo><condition>serviceable</condition></item>"
        for n, photo in enumerate(photos or ("",))
    )
    return instance_xml(
        "weapon_handover",
        instance_id,
        f"<collection_point>{collection_point().code}</collection_point>"
        f"<received_at>{when}</received_at><party>north</party><unit>3rd Company</unit>"
        f"<handed_over_by/><witnesses>Ana Verin\nDavit Oro</witnesses>{items}"
        "<notes/><photo/>",
    )
