"""The mission's side of witnessing: after each checkpoint is published, a background task sends
it to the configured witnesses (c2sp.org/tlog-witness) and adds the cosignatures they return to
the published checkpoint, so `/log/checkpoint` carries them. A witness that is down or refuses
costs only its cosignature on this checkpoint; the next one tries again."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django_tasks import task

from ceasefire.ledger import cosignature, keys, merkle, note, witness
from ceasefire.ledger.checkpoint import CheckpointError, open_checkpoint
from ceasefire.ledger.models import Checkpoint
from ceasefire.ledger.services import _publish_lock
from ceasefire.ledger.storage import DatabaseHashReader

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 10
# What each witness last cosigned, as the mission believes: the `old` of the next request.
SIZES_FILE = ".witness-sizes.json"


@dataclass(frozen=True)
class ConfiguredWitness:
    """A witness's URL prefix and the verifier keys whose cosignatures the mission keeps."""

    url: str
    keys: tuple[str, ...]
    verifiers: tuple[note.Verifier, ...]


def configured_witnesses() -> list[ConfiguredWitness]:
    """The witnesses of CEASEFIRE_WITNESSES, keys grouped by URL."""
    raw = settings.LOG_WITNESSES.strip()
    if not raw:
        return []
    pairs: list[tuple[str, str]] = []
    try:
        if raw.endswith(".json"):
            pairs = [(item["url"], item["key"]) for item in json.loads(Path(raw).read_text())]
        else:
            for part in raw.split(","):
                # A verifier key ends in base64 padding, a URL has no `=` before the key's.
                url, equals, key = part.strip().partition("=")
                if not equals:
                    raise ValueError(f"{part!r} is not URL=VERIFIERKEY")
                pairs.append((url, key))
        grouped: dict[str, list[str]] = {}
        for url, key in pairs:
            grouped.setdefault(url.rstrip("/"), []).append(key)
        return [
            ConfiguredWitness(
                url, tuple(url_keys), tuple(map(cosignature.verifier_from_key, url_keys))
            )
            for url, url_keys in grouped.items()
        ]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ImproperlyConfigured(f"CEASEFIRE_WITNESSES: {exc}") from None


def _post(url: str, body: bytes) -> tuple[int, bytes]:
    request = urllib.request.Request(url + "/add-checkpoint", data=body, method="POST")  # noqa: S310 (configured URL)
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def _ask(configured: ConfiguredWitness, signed_note: bytes, size: int, old: int) -> list[str]:
    """The cosignature lines of one witness (verified), or none; retries once on a 409."""
    for _attempt in range(2):
        if old > size:
            logger.warning("witness %s has seen size %s > %s", configured.url, old, size)
            return []
        proof = merkle.consistency_proof(old, size, DatabaseHashReader()) if 0 < old < size else []
        status, body = _post(configured.url, witness.format_request(old, proof, signed_note))
        if status == 409 and body.strip().isdigit():
            old = int(body)
            continue
        if status != 200:
            logger.warning("witness %s answered %s: %s", configured.url, status, body[:200])
            return []
        return _verified_lines(configured, signed_note, body)
    return []


def _verified_lines(configured: ConfiguredWitness, signed_note: bytes, body: bytes) -> list[str]:
    lines = body.decode("utf-8", "replace").splitlines(keepends=True)
    kept = []
    for line in lines:
        try:
            signature = note.parse_signature_line(line)
            for verifier in configured.verifiers:
                if (verifier.name, verifier.key_id) == (signature.name, signature.key_id):
                    open_checkpoint(
                        signed_note + line.encode(), keys.log_verifier(), witnesses=[verifier]
                    )
                    kept.append(line)
        except (note.NoteError, CheckpointError) as exc:
            logger.warning("witness %s sent a bad cosignature: %s", configured.url, exc)
    return kept


def _sizes_path() -> Path:
    return settings.LOG_DIR / SIZES_FILE


def _read_sizes() -> dict[str, int]:
    path = _sizes_path()
    return json.loads(path.read_text()) if path.exists() else {}


def cosign(size: int) -> list[str]:
    """Ask every configured witness to cosign the checkpoint of `size`; add what they return to
    the stored checkpoint and, if it is still the published one, to LOG_DIR/checkpoint."""
    row = Checkpoint.objects.get(size=size)
    signed_note = row.signed_note.encode()
    sizes = _read_sizes()
    received: list[str] = []
    for configured in configured_witnesses():
        try:
            lines = _ask(configured, signed_note, size, sizes.get(configured.url, 0))
        except (OSError, ValueError) as exc:
            logger.warning("witness %s is unreachable: %s", configured.url, exc)
            continue
        if lines:
            sizes[configured.url] = size
            received.extend(lines)
    if not received:
        return []
    with _publish_lock():
        witness.write_atomically(_sizes_path(), json.dumps(sizes).encode())
        cosigned = row.signed_note + "".join(received)
        Checkpoint.objects.filter(pk=row.pk).update(signed_note=cosigned)
        published = settings.LOG_DIR / "checkpoint"
        # The published file is replaced only if it is still this checkpoint, same text.
        if published.read_bytes() == signed_note:
            witness.write_atomically(published, cosigned.encode(), mode=0o644)
    return received


@task()
def cosign_task(size: int) -> int:
    """Collect the witnesses' cosignatures on the checkpoint of `size`; return how many."""
    return len(cosign(size))


def schedule_cosigning(size: int) -> None:
    """Queue the witness round trip for a new checkpoint, when witnesses are configured."""
    if settings.LOG_WITNESSES.strip():
        cosign_task.enqueue(size)


DEMO_WITNESS_PORTS = {"north": 7381, "south": 7382}


def start_demo_witnesses() -> list[subprocess.Popen[bytes]]:
    """Start one witness process per demo party (state under the data dir) and configure this
    process, and the worker it starts, to ask them for cosignatures."""
    processes = []
    pairs = []
    for party, port in DEMO_WITNESS_PORTS.items():
        state_dir = settings.DATA_DIR / "demo-witnesses" / party
        witness.init(state_dir, f"{party}.demo/witness", [keys.verifier_key()])
        listen = f"127.0.0.1:{port}"
        command = ["witness", "--dir", str(state_dir), "serve", "--listen", listen]
        # Our own entry point with fixed arguments.
        processes.append(subprocess.Popen([sys.executable, "-m", "ceasefire.cli", *command]))  # noqa: S603
        cosigners = witness.Witness.load(state_dir).cosigners
        pairs += [f"http://{listen}={c.verifier().verifier_key}" for c in cosigners]
    os.environ["CEASEFIRE_WITNESSES"] = settings.LOG_WITNESSES = ",".join(pairs)
    return processes
