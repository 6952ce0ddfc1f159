from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from ceasefire.core import selectors

# Sections of the home page: apps append a function rendering their section's HTML (in their
# AppConfig.ready), so the core imports no app and shows only the apps installed.
HOME_SECTIONS: list[Callable[[HttpRequest], str]] = []


def home(request: HttpRequest) -> HttpResponse:
    sections = [section(request) for section in HOME_SECTIONS]
    return render(request, "core/home.html", {"home_sections": sections})


def health(request: HttpRequest) -> HttpResponse:
    """For a load balancer: 200 when the database answers, 503 when it does not."""
    ok = selectors.database_ok()
    return JsonResponse({"status": "ok" if ok else "unavailable"}, status=200 if ok else 503)
