from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

import segno
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from ceasefire.core.access import may_access, request_user
from ceasefire.core.errors import CeasefireError, add_to_form
from ceasefire.ledger import selectors as ledger_selectors
from ceasefire.registry import imports, printing, selectors, services
from ceasefire.registry.forms import (
    CorrectionForm,
    CustodyForm,
    ImportForm,
    KeyForm,
    LineForm,
    ReceiptForm,
    line_prefixes,
    names,
    new_line_prefix,
)
from ceasefire.registry.models import CORRECTABLE, Category, CustodyEvent, Item, Receipt
from ceasefire.registry.reference import LOT_TYPES

PAGE_SIZE = 50


def items(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    filters = selectors.ItemFilters(
        q=request.GET.get("q", ""),
        kind=request.GET.get("kind", ""),
        category=request.GET.get("category", ""),
        state=request.GET.get("state", ""),
        party=request.GET.get("party", ""),
        collection_point=request.GET.get("collection_point", ""),
    )
    # Paginator takes of a list only its count() and slices, which ItemPages answers.
    items = cast("Sequence[Any]", selectors.ItemPages(user, filters))
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "filters": filters,
        "query": query.urlencode(),
        "categories": Category.choices,
        "kinds": Item.Kind.choices,
        "states": CustodyEvent.Kind.choices,
    }
    template = (
        "registry/_item_rows.html" if request.headers.get("HX-Request") else "registry/items.html"
    )
    return render(request, template, context)


def item(request: HttpRequest, item_id: int) -> HttpResponse:
    user = request_user(request)
    found = selectors.item_for_user(user, item_id)
    corrections = [
        (correction, selectors.cosignatures(correction.entry_id))
        for correction in found.corrections.all()
    ]
    return render(
        request,
        "registry/item.html",
        {
            "item": found,
            "now": selectors.effective(found),
            "recorded_values": [(name, getattr(found, name)) for name in CORRECTABLE[found.kind]],
            "corrections": corrections,
            "sees_personal": selectors.sees_personal(user, found.receipt),
            "can_custody": may_access(user, "registry:custody_new"),
            "can_cosign": selectors.may_cosign(user, found.receipt),
        },
    )


def receipts(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.receipt_list(request_user(request)), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    can_record = may_access(request.user, "registry:receipt_new")
    return render(request, "registry/receipts.html", {"page": page, "can_record": can_record})


def _receipt_context(request: HttpRequest, receipt: Receipt) -> dict[str, Any]:
    user = request_user(request)
    verify_url = ledger_selectors.verify_url(
        receipt.entry, site_url=request.build_absolute_uri("/").rstrip("/")
    )
    return {
        "receipt": receipt,
        "lines": selectors.item_list(
            user, selectors.ItemFilters(receipt=receipt.pk, include_voided=True)
        ).order_by("line"),
        "cosignatures": selectors.cosignatures(receipt.entry_id),
        "sees_personal": selectors.sees_personal(user, receipt),
        "can_cosign": selectors.may_cosign(user, receipt),
        "verify_url": verify_url,
        "qr_svg": segno.make(verify_url, error="m").svg_data_uri(scale=3),
    }


def receipt(request: HttpRequest, receipt_id: int) -> HttpResponse:
    found = selectors.receipt_for_user(request_user(request), receipt_id)
    return render(request, "registry/receipt.html", _receipt_context(request, found))


def receipt_pdf(request: HttpRequest, receipt_id: int) -> HttpResponse:
    found = selectors.receipt_for_user(request_user(request), receipt_id)
    html = render_to_string(
        "registry/receipt_print.html", _receipt_context(request, found), request
    )
    response = HttpResponse(
        printing.pdf(html, request.build_absolute_uri("/")), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="{found.number}.pdf"'
    return response


def receipt_line(request: HttpRequest) -> HttpResponse:
    """A new, empty line for the receipt form (htmx)."""
    return render(request, "registry/_line.html", {"line": LineForm(prefix=new_line_prefix())})


def receipt_new(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    if request.method != "POST":
        form = ReceiptForm(initial={"received_by": user})
        lines = [LineForm(prefix=new_line_prefix())]
        return _receipt_form(request, form, lines)
    form = ReceiptForm(request.POST, request.FILES)
    lines = [LineForm(request.POST, prefix=prefix) for prefix in line_prefixes(request.POST)]
    valid = form.is_valid() & all([line.is_valid() for line in lines])
    if not lines:
        form.add_error(None, _("Add at least one weapon or lot."))
        valid = False
    if not valid:
        return _receipt_form(request, form, lines)
    data = form.cleaned_data
    header = services.HandoverIn(
        collection_point=data["collection_point"],
        received_at=data["received_at"],
        party=data["party"],
        unit=data["unit"],
        received_by=data["received_by"],
        witnesses=tuple(names(data["witnesses"])),
        handed_over_by=data["handed_over_by"],
        notes=data["notes"],
    )
    try:
        created = services.receipt_create(
            user=user, header=header, lines=[line.line() for line in lines], photos=data["photos"]
        )
    except CeasefireError as exc:
        add_to_form(form, exc)
        for position, line in enumerate(lines):
            add_to_form(line, exc, prefix=f"lines.{position}.")
        return _receipt_form(request, form, lines, status=400)
    messages.success(request, _("Receipt %(number)s recorded.") % {"number": created.number})
    return redirect("registry:receipt", receipt_id=created.pk)


def _receipt_form(
    request: HttpRequest, form: ReceiptForm, lines: list[LineForm], status: int = 200
) -> HttpResponse:
    return render(
        request,
        "registry/receipt_new.html",
        {"form": form, "lines": lines, "lot_types": LOT_TYPES},
        status=status,
    )


def custody_new(request: HttpRequest, item_id: int) -> HttpResponse:
    user = request_user(request)
    found = selectors.item_for_user(user, item_id)
    form = CustodyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.custody_record(
                user=user,
                item=found,
                kind=data["kind"],
                occurred_at=data["occurred_at"],
                place=data["place"],
                location=data["location"],
                method=data["method"],
                certificate=data["certificate"],
                witnesses=names(data["witnesses"]),
                notes=data["notes"],
            )
        except CeasefireError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, _("Custody event recorded."))
            return redirect("registry:item", item_id=found.pk)
    return render(request, "registry/custody_new.html", {"form": form, "item": found})


def correction_new(request: HttpRequest, item_id: int) -> HttpResponse:
    user = request_user(request)
    found = selectors.item_for_user(user, item_id)
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["void"]:
                services.item_void(user=user, item=found, reason=form.cleaned_data["reason"])
            else:
                services.item_correct(
                    user=user,
                    item=found,
                    changes=form.changes(found.kind),
                    reason=form.cleaned_data["reason"],
                )
        except CeasefireError as exc:
            add_to_form(form, exc)
        else:
            messages.success(
                request, _("Correction recorded; it awaits the liaison's co-signature.")
            )
            return redirect("registry:item", item_id=found.pk)
    return render(
        request,
        "registry/correction_new.html",
        {"form": form, "item": found, "now": selectors.effective(found)},
    )


def cosign(request: HttpRequest, index: int) -> HttpResponse:
    """The signing page: its script checks the openings and signs with the browser's key."""
    user = request_user(request)
    entry, found_receipt, correction = selectors.signable_for_user(user, index)
    return render(
        request,
        "registry/cosign.html",
        {
            "entry": entry,
            "receipt": found_receipt,
            "correction": correction,
            "cosignatures": selectors.cosignatures(entry.index),
            "keys": selectors.liaison_keys(user),
        },
    )


def keys(request: HttpRequest) -> HttpResponse:
    """A liaison's keys; a key made with `ceasefire cosign keygen` is enrolled here."""
    from ceasefire.registry import cosign as crypto

    user = request_user(request)
    form = KeyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            public_key = crypto.decode(form.cleaned_data["public_key"], crypto.PUBLIC_KEY_SIZE, "")
        except crypto.CosignError:
            form.add_error(
                "public_key", _("A public key is 32 bytes (a raw Ed25519 key), in base64.")
            )
        else:
            try:
                key = services.key_enrol(
                    user=user, public_key=public_key, label=form.cleaned_data["label"]
                )
            except CeasefireError as exc:
                add_to_form(form, exc)
            else:
                messages.success(
                    request,
                    _("Key enrolled. Give its fingerprint to your party to confirm: %(key)s")
                    % {"key": key.fingerprint},
                )
                return redirect("registry:keys")
    return render(
        request, "registry/keys.html", {"form": form, "keys": selectors.liaison_keys(user)}
    )


def import_page(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[imports.RowProblem] = []
    if request.method == "POST" and form.is_valid():
        try:
            result = imports.handovers_import(
                user=request_user(request), data=form.cleaned_data["file"].read()
            )
        except imports.ImportFailed as exc:
            problems = exc.problems
            form.add_error(None, exc.message)
        except CeasefireError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("Imported %(rows)s rows as %(receipts)s receipts.")
                % {"rows": result.rows, "receipts": len(result.receipts)},
            )
            return redirect("registry:receipts")
    return render(request, "registry/import.html", {"form": form, "problems": problems})


def import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(imports.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="handovers-template.csv"'
    return response


def reference(request: HttpRequest) -> HttpResponse:
    return render(request, "registry/reference.html", {"rows": selectors.reference_list()})


def home_totals(request: HttpRequest) -> str:
    """The home page's section: items by category, surrendered and destroyed."""
    figures = selectors.totals()
    labels = dict(Category.choices)
    rows = [
        (labels.get(category, category), counts["surrendered"], counts["destroyed"])
        for category, counts in figures["by_category"].items()
    ]
    return render_to_string(
        "registry/_home_totals.html", {"rows": rows, "total": figures["total"]}, request
    )
