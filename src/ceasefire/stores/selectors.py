"""Reads on containers and destructions. Containers hold every party's items, so a liaison sees
only those holding their own party's items (others are "not found")."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from ceasefire.core.errors import NotFound
from ceasefire.registry.selectors import party_scope
from ceasefire.stores.models import Container, Destruction


def container_list(user: Any) -> QuerySet[Container]:
    containers = Container.objects.select_related("place").prefetch_related("seals")
    scope = party_scope(user)
    if scope is not None:
        containers = containers.filter(placements__item__receipt__party_id=scope).distinct()
    return containers


def container_for_user(user: Any, pk: int) -> Container:
    container = container_list(user).filter(pk=pk).first()
    if container is None:
        raise NotFound(_("There is no such container."))
    return container


def destruction_for_user(user: Any, pk: int) -> Destruction:
    destructions = Destruction.objects.select_related("place")
    scope = party_scope(user)
    if scope is not None:
        destructions = destructions.filter(items__receipt__party_id=scope).distinct()
    destruction = destructions.filter(pk=pk).first()
    if destruction is None:
        raise NotFound(_("There is no such destruction."))
    return destruction
