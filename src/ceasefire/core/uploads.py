"""The one way a file from outside enters storage.

`accept_upload` reads the file once, refusing it past a size limit; decides its type from its
content (magic bytes, then a full decode for images), never from its name or the Content-Type the
client claims; refuses a type the caller did not allow; re-encodes images, which drops their
metadata (EXIF, with GPS positions, camera serials, names); and stores the result under a
generated name. The caller keeps what it returns: the stored name, SHA-256, size and type.
"""

from __future__ import annotations

import hashlib
import io
import tempfile
import uuid
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from ceasefire.core.errors import TooLarge, ValidationFailed

CHUNK = 64 * 1024
# Images larger than this many pixels are refused before decoding (a small file can hold a
# huge image that would take the server's memory).
MAX_IMAGE_PIXELS = 60_000_000


@dataclass(frozen=True)
class FileType:
    kind: str
    content_type: str
    extension: str


JPEG = FileType("image", "image/jpeg", ".jpg")
PNG = FileType("image", "image/png", ".png")
WEBP = FileType("image", "image/webp", ".webp")
PDF = FileType("pdf", "application/pdf", ".pdf")
MP4 = FileType("video", "video/mp4", ".mp4")
WEBM = FileType("video", "video/webm", ".webm")
KINDS = frozenset({"image", "pdf", "video"})
# Brands of the ISO media container that hold still images (HEIC, AVIF), not video.
STILL_IMAGE_BRANDS = frozenset({b"heic", b"heix", b"hevc", b"mif1", b"msf1", b"avif"})
# Pillow's format name for each image type: what the upload is decoded as and written back as.
IMAGE_FORMATS = {JPEG: "JPEG", PNG: "PNG", WEBP: "WEBP"}


@dataclass(frozen=True)
class StoredUpload:
    name: str  # the storage name, generated: never derived from the uploaded file's name
    sha256: str  # hex digest of the stored bytes (after re-encoding)
    size: int
    content_type: str
    kind: str


def sniff(head: bytes) -> FileType | None:
    """The type the first bytes of a file announce, or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"%PDF-"):
        return PDF
    if head[4:8] == b"ftyp" and head[8:12] not in STILL_IMAGE_BRANDS:
        return MP4
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return WEBM
    return None


def _describe(kinds: Iterable[str]) -> str:
    labels = {"image": _("a photo (JPEG, PNG or WebP)"), "pdf": _("a PDF"), "video": _("a video")}
    return ", ".join(str(labels[kind]) for kind in sorted(kinds))


def _spool(upload: IO[bytes], max_bytes: int) -> tuple[IO[bytes], int]:
    """Copy the upload into a temporary file, stopping as soon as it passes `max_bytes`."""
    spool: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=4 * 1024 * 1024)  # noqa: SIM115
    size = 0
    if hasattr(upload, "seek"):
        upload.seek(0)
    while chunk := upload.read(CHUNK):
        size += len(chunk)
        if size > max_bytes:
            spool.close()
            raise TooLarge(
                _("The file is too large: at most %(mb)s MB is accepted.")
                % {"mb": max(1, max_bytes // (1024 * 1024))},
                field="file",
            )
        spool.write(chunk)
    spool.seek(0)
    return spool, size


def _reencode(spool: IO[bytes], file_type: FileType) -> bytes:
    """Decode the image fully and write its pixels anew: what is not pixels (metadata, trailing
    data, a second file hidden after the image) does not survive."""
    unreadable = ValidationFailed(
        _("The photo could not be read; it may be damaged. Take or export it again."),
        field="file",
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(spool, formats=[IMAGE_FORMATS[file_type]]) as image:
                if image.width * image.height > MAX_IMAGE_PIXELS:
                    raise ValidationFailed(
                        _("The photo is too large in pixels; send a smaller one."), field="file"
                    )
                # Turn the pixels as the camera's orientation tag says before the tag is dropped.
                pixels = ImageOps.exif_transpose(image)
                pixels.load()
    except ValidationFailed:
        raise
    except (
        OSError,
        ValueError,
        SyntaxError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ):
        raise unreadable from None
    if file_type is JPEG and pixels.mode not in ("RGB", "L"):
        pixels = pixels.convert("RGB")
    out = io.BytesIO()
    options = {"quality": 90} if file_type in (JPEG, WEBP) else {"optimize": True}
    pixels.save(out, format=IMAGE_FORMATS[file_type], **options)
    return out.getvalue()


def accept_upload(
    upload: IO[bytes],
    *,
    kinds: Iterable[str],
    max_bytes: int | None = None,
    storage: Storage | None = None,
) -> StoredUpload:
    """Check, clean and store an uploaded file; see the module's docstring. Raises TooLarge or
    ValidationFailed (field "file") with a message for the person who sent it; nothing is stored
    then. `storage` replaces the default storage (people/ passes one that encrypts)."""
    kinds = frozenset(kinds)
    unknown = kinds - KINDS
    if unknown or not kinds:
        raise ValueError(f"Unknown upload kinds: {sorted(unknown) or 'none given'}")
    limit = min(max_bytes or settings.UPLOAD_MAX_BYTES, settings.UPLOAD_MAX_BYTES)
    spool, size = _spool(upload, limit)
    with spool:
        if size == 0:
            raise ValidationFailed(_("The file is empty."), field="file")
        file_type = sniff(spool.read(16))
        spool.seek(0)
        if file_type is None or file_type.kind not in kinds:
            raise ValidationFailed(
                _("This file is not of a type accepted here. Send %(kinds)s.")
                % {"kinds": _describe(kinds)},
                field="file",
            )
        now = timezone.now()
        name = f"{now:%Y/%m}/{uuid.uuid4().hex}{file_type.extension}"
        if file_type.kind == "image":
            data = _reencode(spool, file_type)
            digest = hashlib.sha256(data).hexdigest()
            stored = (storage or default_storage).save(name, ContentFile(data))
            size = len(data)
        else:
            sha = hashlib.sha256()
            while chunk := spool.read(CHUNK):
                sha.update(chunk)
            digest = sha.hexdigest()
            spool.seek(0)
            stored = (storage or default_storage).save(name, File(spool, name=name))
    return StoredUpload(
        name=stored,
        sha256=digest,
        size=size,
        content_type=file_type.content_type,
        kind=file_type.kind,
    )
