from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from ceasefire.accounts.models import User
from ceasefire.accounts.roles import Role
from ceasefire.convoys.models import Convoy


@task()
def send_convoy_notification(convoy_id: int) -> int:
    """Email a convoy's advance notification to the liaisons of the notified parties who have an
    address. Takes the convoy's ID only; returns how many emails went out."""
    convoy = Convoy.objects.select_related("origin", "destination").get(pk=convoy_id)
    parties = convoy.notifications.values_list("party_id", flat=True)
    liaisons = (
        User.objects.filter(is_active=True, grants__role=Role.LIAISON, grants__party__in=parties)
        .exclude(email="")
        .distinct()
    )
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Humanitarian convoy %(reference)s: advance notification") % {
            "reference": convoy.reference
        }
        body = render_to_string(
            "convoys/notification_email.txt",
            {
                "convoy": convoy,
                "route": convoy.route.select_related("checkpoint"),
                "lines": convoy.lines.all(),
                "url": settings.SITE_URL + reverse("convoys:detail", args=[convoy.pk]),
            },
        )
    for liaison in liaisons:
        sent += send_mail(subject, body, None, [liaison.email])
    return sent
