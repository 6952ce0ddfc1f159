"""Printable receipts: the page's own template rendered to PDF with WeasyPrint."""

from __future__ import annotations

import logging

from django.contrib.staticfiles import finders


def pdf(html: str, base_url: str) -> bytes:
    """A PDF of the HTML. Style comes from the static files on disk, not over HTTP: the
    server never fetches its own pages."""
    # Imported here: WeasyPrint is slow to import and only printing needs it.
    from weasyprint import CSS, HTML

    stylesheets = [CSS(filename=path) for path in _stylesheets()]
    document: bytes = HTML(string=html, base_url=base_url).write_pdf(stylesheets=stylesheets)
    return document


def _stylesheets() -> list[str]:
    found = finders.find("registry/print.css")
    return [str(found)] if found else []


# WeasyPrint reports every step of every document at INFO: keep the server's log readable.
logging.getLogger("weasyprint").setLevel(logging.WARNING)
