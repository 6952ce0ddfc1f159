"""Containers (list and detail) and destruction certificates (PDF)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from ceasefire.core.access import request_user
from ceasefire.registry import printing
from ceasefire.stores import selectors, services


def container_list(request: HttpRequest) -> HttpResponse:
    containers = selectors.container_list(request_user(request))
    return render(request, "stores/containers.html", {"containers": containers})


def container_detail(request: HttpRequest, pk: int) -> HttpResponse:
    container = selectors.container_for_user(request_user(request), pk)
    return render(
        request,
        "stores/container.html",
        {
            "container": container,
            "items": services.contents(container),
            "seals": container.seals.all(),
            "moves": container.moves.select_related("origin", "destination"),
            "counts": container.counts.select_related("incident"),
        },
    )


def certificate(request: HttpRequest, pk: int) -> HttpResponse:
    destruction = selectors.destruction_for_user(request_user(request), pk)
    html = render_to_string(
        "stores/certificate.html",
        {"destruction": destruction, "items": destruction.items.order_by("mission_id")},
        request=request,
    )
    response = HttpResponse(
        printing.pdf(html, request.build_absolute_uri("/")), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="{destruction.certificate}.pdf"'
    return response
