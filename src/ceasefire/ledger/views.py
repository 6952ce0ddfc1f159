"""The log over HTTP, for anyone: the C2SP tlog-tiles resources under /log/, portable proofs,
a page per entry, and the published totals."""

from __future__ import annotations

import base64

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ceasefire.core.errors import NotFound, ValidationFailed
from ceasefire.ledger import keys, note, selectors, services, witnessing

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"


def checkpoint(request: HttpRequest) -> HttpResponse:
    path = settings.LOG_DIR / "checkpoint"
    if not path.exists():
        raise NotFound(_("No checkpoint has been published yet."))
    response = HttpResponse(path.read_bytes(), content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = REVALIDATE
    return response


def tile(request: HttpRequest, path: str) -> HttpResponseBase:
    try:
        file_path, parsed = selectors.exported_file(f"tile/{path}")
    except ValueError:
        raise ValidationFailed(_("This is not a tile path.")) from None
    if not file_path.exists():
        raise NotFound(_("No such tile."))
    response = FileResponse(file_path.open("rb"), content_type="application/octet-stream")
    # A full tile never changes; a partial one is replaced as the log grows.
    response["Cache-Control"] = REVALIDATE if parsed.is_partial else IMMUTABLE
    return response


def key(request: HttpRequest) -> HttpResponse:
    return HttpResponse(keys.verifier_key() + "\n", content_type="text/plain; charset=utf-8")


def proof(request: HttpRequest, index: int) -> HttpResponse:
    tlog_proof = selectors.inclusion_proof(index)
    if tlog_proof is None:
        raise NotFound(
            _("Entry %(index)s is not in a published checkpoint yet.") % {"index": index}
        )
    response = HttpResponse(tlog_proof.format(), content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = REVALIDATE
    return response


def entry(request: HttpRequest, index: int) -> HttpResponse:
    log_entry = selectors.entry(index)
    if log_entry is None:
        raise NotFound(_("There is no entry %(index)s in the log.") % {"index": index})
    tlog_proof = selectors.inclusion_proof(index)
    witness_keys = [key for w in witnessing.configured_witnesses() for key in w.keys]
    return render(
        request,
        "ledger/entry.html",
        {
            "entry": log_entry,
            "body": selectors.entry_json(log_entry),
            "leaf_hash": base64.b64encode(bytes(log_entry.leaf_hash)).decode(),
            "proof": tlog_proof.format().decode() if tlog_proof else None,
            "verifier_key": keys.verifier_key(),
            "key_fingerprint": note.key_fingerprint(keys.verifier_key()),
            "raw": bytes(log_entry.body).decode(),
            "raw_base64": base64.b64encode(bytes(log_entry.body)).decode(),
            "witnesses": [(key, note.key_fingerprint(key)) for key in witness_keys],
        },
    )


def totals_json(request: HttpRequest) -> HttpResponse:
    """The latest published totals with where they come from. Reading never writes."""
    published = selectors.latest_published_totals()
    if published is None:
        raise NotFound(_("No totals have been published yet."))
    log_entry, fields = published
    latest = selectors.latest_checkpoint()
    return JsonResponse(
        {
            "figures": fields.get("figures"),
            "computed_at_size": fields.get("size"),
            "published_at": fields.get("published_at"),
            "entry_index": log_entry.index,
            "proof_url": request.build_absolute_uri(f"/log/proof/{log_entry.index}"),
            "checkpoint": latest.signed_note if latest and latest.size > log_entry.index else None,
            "verifier_key": keys.verifier_key(),
        },
        json_dumps_params={"ensure_ascii": False},
    )


@require_POST
def totals_publish(request: HttpRequest) -> HttpResponse:
    published = services.publish_totals()
    messages.success(
        request, _("Totals published as log entry %(index)s.") % {"index": published.index}
    )
    return redirect("ledger:entry", index=published.index)
