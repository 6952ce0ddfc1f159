"""ODK's form encryption (getodk.github.io/xforms-spec/encryption), the one place it is done.

The phone makes a fresh AES-256 key per submission, wraps it with the mission's RSA public key
(OAEP, SHA-256 for both the digest and MGF1) and encrypts each media file and then the instance
XML with AES-CFB and PKCS#7 padding. The IV of the n-th file is derived from MD5(instanceID ||
AES key): byte n mod 16 of a running copy is incremented once per file, so each file has its own.
The mission's RSA key pair lives in the key dir (mode 0600), created on first use.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from cryptography.hazmat.decrepit.ciphers.modes import CFB
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms
from django.conf import settings
from django.utils.translation import gettext as _

from ceasefire.core.config import write_private_file
from ceasefire.core.errors import ValidationFailed

KEY_FILE = "fieldsync-rsa.pem"
OAEP = padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None)


@cache
def _mission_key(key_dir: Path) -> rsa.RSAPrivateKey:
    path = key_dir / KEY_FILE
    if not path.exists():
        new = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = new.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        with contextlib.suppress(FileExistsError):  # another process made it first
            write_private_file(path, pem)
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    assert isinstance(key, rsa.RSAPrivateKey)
    return key


def mission_key() -> rsa.RSAPrivateKey:
    return _mission_key(Path(settings.KEY_DIR))


def public_key_base64() -> str:
    """The public key as XLSForm's `public_key` setting wants it: base64 of the DER SPKI."""
    der = (
        mission_key()
        .public_key()
        .public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    return base64.b64encode(der).decode("ascii")


def file_ivs(instance_id: str, key: bytes, count: int) -> list[bytes]:
    running = bytearray(hashlib.md5(instance_id.encode() + key).digest())  # noqa: S324 - ODK's IV
    ivs = []
    for index in range(count):
        running[index % 16] = (running[index % 16] + 1) % 256
        ivs.append(bytes(running))
    return ivs


@dataclass(frozen=True)
class Envelope:
    """What an encrypted submission's XML says about its parts."""

    instance_id: str
    wrapped_key: str  # base64
    media: list[str]  # encrypted media file names, in the phone's order
    xml_file: str


def _undecryptable() -> ValidationFailed:
    return ValidationFailed(
        _(
            "This encrypted submission cannot be decrypted with the mission's key. "
            "Update the form on the phone (Get blank form) and send it again."
        )
    )


def decrypt(envelope: Envelope, files: dict[str, bytes]) -> tuple[bytes, dict[str, bytes]]:
    """The instance XML and media files in clear, media keyed by their names without `.enc`."""
    try:
        key = mission_key().decrypt(base64.b64decode(envelope.wrapped_key), OAEP)
    except ValueError:
        raise _undecryptable() from None
    names = [*envelope.media, envelope.xml_file]
    missing = [name for name in names if name not in files]
    if missing:
        raise ValidationFailed(
            _("The submission lacks the file %(name)s. Send it again from the phone.")
            % {"name": missing[0]}
        )
    clear = [
        _decrypt_file(key, iv, files[name])
        for name, iv in zip(names, file_ivs(envelope.instance_id, key, len(names)), strict=True)
    ]
    media = {
        name.removesuffix(".enc"): data
        for name, data in zip(envelope.media, clear[:-1], strict=True)
    }
    return clear[-1], media


def _decrypt_file(key: bytes, iv: bytes, data: bytes) -> bytes:
    decryptor = Cipher(algorithms.AES(key), CFB(iv)).decryptor()
    padded = decryptor.update(data) + decryptor.finalize()
    # PKCS#7: the last byte says how many padding bytes there are, each of that value.
    size = padded[-1] if padded else 0
    if not 1 <= size <= 16 or padded[-size:] != bytes([size]) * size:
        raise _undecryptable()
    return padded[:-size]
