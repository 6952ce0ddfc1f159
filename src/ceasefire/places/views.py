from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ceasefire.places import selectors


def place_list(request: HttpRequest) -> HttpResponse:
    return render(request, "places/list.html", {"places": selectors.place_list()})
