"""The `ceasefire import handovers` and `ceasefire cosign` verbs. Each returns the exit status."""

from __future__ import annotations

import base64
import sys
import time
from pathlib import Path

from django.utils.translation import gettext as _


def import_handovers(path: Path, username: str) -> int:
    """Import a CSV file of handovers, all or nothing, with a progress bar."""
    from tqdm import tqdm

    from ceasefire.accounts.models import User
    from ceasefire.core.errors import CeasefireError
    from ceasefire.registry import imports

    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        print(_("No active user %(name)s.") % {"name": username}, file=sys.stderr)
        return 2
    try:
        data = path.read_bytes()
    except OSError as exc:
        print(
            _("Cannot read %(path)s: %(reason)s") % {"path": path, "reason": exc.strerror},
            file=sys.stderr,
        )
        return 2
    rows = max(data.count(b"\n") - 1, 0)
    started = time.monotonic()
    with tqdm(total=rows, unit=_("rows"), desc=_("Importing"), file=sys.stderr) as bar:
        try:
            result = imports.handovers_import(user=user, data=data, progress=bar.update)
        except imports.ImportFailed as exc:
            bar.close()
            print(exc.message, file=sys.stderr)
            for problem in exc.problems:
                print(f"  {problem}", file=sys.stderr)
            return 1
        except CeasefireError as exc:
            bar.close()
            print(exc.message, file=sys.stderr)
            return 1
    seconds = time.monotonic() - started
    print(
        _("Imported %(rows)s rows as %(receipts)s receipts in %(seconds).1f s (%(rate)d rows/s).")
        % {
            "rows": result.rows,
            "receipts": len(result.receipts),
            "seconds": seconds,
            "rate": result.rows / seconds if seconds else 0,
        }
    )
    return 0


def cosign_keygen(out: Path) -> int:
    """Make a co-signing key on this machine: the private key stays in `out` (mode 0600)."""
    from ceasefire.core.config import write_private_file
    from ceasefire.registry import cosign

    if out.exists():
        print(_("%(path)s exists; not overwriting it.") % {"path": out}, file=sys.stderr)
        return 2
    pem, public = cosign.generate_private_key()
    write_private_file(out, pem)
    print(
        _("Private key written to %(path)s. Keep it; it never leaves this machine.") % {"path": out}
    )
    print(_("Public key, to enrol on your keys page:"))
    print(base64.b64encode(public).decode())
    print(_("Fingerprint, for your party to confirm:"))
    print(cosign.fingerprint(public))
    return 0


def cosign_sign(entry_file: Path, key_file: Path) -> int:
    """Sign the exact bytes of an exported log entry; print the fingerprint and signature."""
    from ceasefire.registry import cosign

    try:
        entry, pem = entry_file.read_bytes(), key_file.read_bytes()
        private = cosign.load_private_key(pem)
    except OSError as exc:
        print(
            _("Cannot read %(path)s: %(reason)s") % {"path": exc.filename, "reason": exc.strerror},
            file=sys.stderr,
        )
        return 2
    except cosign.CosignError:
        print(
            _("%(path)s is not an Ed25519 key made by ceasefire cosign keygen.")
            % {"path": key_file},
            file=sys.stderr,
        )
        return 2
    print(_("Fingerprint:"), cosign.fingerprint(cosign.public_bytes(private)))
    print(_("Signature:"), base64.b64encode(private.sign(entry)).decode())
    return 0
