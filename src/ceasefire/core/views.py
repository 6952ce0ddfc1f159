from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from ceasefire.core import selectors


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


def health(request: HttpRequest) -> HttpResponse:
    """For a load balancer: 200 when the database answers, 503 when it does not."""
    ok = selectors.database_ok()
    return JsonResponse({"status": "ok" if ok else "unavailable"}, status=200 if ok else 503)
