"""ODK Collect as seen on the wire: the requests it makes, byte for byte where it matters, and
its form encryption (written from the spec, independently of the server's code)."""

from __future__ import annotations

import base64
import hashlib
import os
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.decrepit.ciphers.modes import CFB
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

DEVICE_ID = "collect:Xk3vR9aQ2mT7pL1z"
HEADERS = {"X-OpenRosa-Version": "1.0", "User-Agent": "org.odk.collect.android/v2025.2.1"}


def new_instance_id() -> str:
    return f"uuid:{uuid.uuid4()}"


def instance_xml(form_id: str, instance_id: str, body: str, version: str = "2026011501") -> bytes:
    return (
        f'<?xml version="1.0" ?><data xmlns:jr="http://openrosa.org/javarosa" '
        f'xmlns:orx="http://openrosa.org/xforms" id="{form_id}" version="{version}">{body}'
        f"<meta><instanceID>{instance_id}</instanceID></meta></data>"
    ).encode()


@dataclass
class Collect:
    """One phone, configured with a server URL (ending before `/formList`)."""

    server: str
    client: Client = field(default_factory=Client)
    device_id: str = DEVICE_ID
    secure: bool = False
    auth: dict[str, str] = field(default_factory=dict)

    def _headers(self) -> dict[str, Any]:
        return {"headers": {**HEADERS, **self.auth}, "secure": self.secure}

    def get(self, path: str) -> Response:
        url = path if path.startswith("http") else f"{self.server}/{path}"
        response: Response = self.client.get(url, {"deviceID": self.device_id}, **self._headers())
        return response

    def head_submission(self) -> Response:
        response: Response = self.client.head(
            f"{self.server}/submission?deviceID={self.device_id}", **self._headers()
        )
        return response

    def submit(
        self,
        xml: bytes,
        media: dict[str, bytes] | None = None,
        *,
        incomplete: bool = False,
        xml_name: str = "weapon_handover_2026-01-15_10-30-00.xml",
    ) -> Response:
        """One multipart POST: the XML part is named xml_submission_file with the instance's own
        file name; media parts are named by their file names."""
        data: dict[str, Any] = {
            "xml_submission_file": SimpleUploadedFile(xml_name, xml, "text/xml"),
        }
        for name, content in (media or {}).items():
            data[name] = SimpleUploadedFile(name, content, "image/jpeg")
        if incomplete:
            data["*isIncomplete*"] = "yes"
        response: Response = self.client.post(
            f"{self.server}/submission?deviceID={self.device_id}", data, **self._headers()
        )
        return response


def basic(username: str, password: str) -> dict[str, str]:
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


# Encryption as Collect does it (getodk.github.io/xforms-spec/encryption)


def _encrypt_file(key: bytes, iv: bytes, data: bytes) -> bytes:
    size = 16 - len(data) % 16
    encryptor = Cipher(algorithms.AES(key), CFB(iv)).encryptor()
    return encryptor.update(data + bytes([size]) * size) + encryptor.finalize()


def encrypt_submission(
    public_key_b64: str, form_id: str, instance_id: str, xml: bytes, media: dict[str, bytes]
) -> tuple[bytes, dict[str, bytes]]:
    """The envelope XML and the encrypted files (`<name>.enc`, `submission.xml.enc`)."""
    public = serialization.load_der_public_key(base64.b64decode(public_key_b64))
    assert isinstance(public, rsa.RSAPublicKey)
    key = os.urandom(32)
    wrapped = public.encrypt(
        key,
        padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None),
    )
    seed = bytearray(hashlib.md5(instance_id.encode("utf-8") + key).digest())
    files: dict[str, bytes] = {}
    for index, (name, content) in enumerate([*media.items(), ("submission.xml", xml)]):
        seed[index % 16] = (seed[index % 16] + 1) & 0xFF
        files[f"{name}.enc"] = _encrypt_file(key, bytes(seed), content)
    media_xml = "".join(f"<file>{name}.enc</file>" for name in media)
    envelope = (
        f'<data xmlns="http://www.opendatakit.org/xforms/encrypted" id="{form_id}" '
        f'version="2026011501" encrypted="yes">'
        f"<base64EncryptedKey>{base64.b64encode(wrapped).decode()}</base64EncryptedKey>"
        f'<orx:meta xmlns:orx="http://openrosa.org/xforms"><orx:instanceID>{instance_id}'
        f"</orx:instanceID></orx:meta><media>{media_xml}</media>"
        f"<encryptedXmlFile>submission.xml.enc</encryptedXmlFile>"
        f"<base64EncryptedElementSignature>c2ln</base64EncryptedElementSignature></data>"
    ).encode()
    return envelope, files
