from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import Image

from ceasefire.core.errors import TooLarge, ValidationFailed
from ceasefire.core.uploads import accept_upload

GPS_IFD = 0x8825


def jpeg_with_gps(size: tuple[int, int] = (40, 30)) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[GPS_IFD] = {1: "N", 2: (40.0, 10.0, 5.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (8, 8), (0, 0, 255, 128)).save(out, format="PNG")
    return out.getvalue()


def stored_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]


def test_a_photo_is_reencoded_without_its_gps_position(settings: object) -> None:
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get(GPS_IFD) is not None
    stored = accept_upload(SimpleUploadedFile("x.jpg", original), kinds={"image"})
    data = default_storage.open(stored.name).read()
    assert data != original
    cleaned = Image.open(io.BytesIO(data))
    assert dict(cleaned.getexif()) == {}
    assert cleaned.size == (40, 30)
    assert stored.content_type == "image/jpeg" and stored.kind == "image"
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert stored.size == len(data)


def test_the_uploaded_name_is_never_used_as_a_path(settings: object) -> None:
    evil = SimpleUploadedFile("../../etc/passwd.png", png())
    stored = accept_upload(evil, kinds={"image"})
    assert "passwd" not in stored.name and ".." not in stored.name
    assert stored.name.endswith(".png")
    [path] = stored_files(Path(settings.MEDIA_ROOT))  # type: ignore[attr-defined]
    assert path.name == Path(stored.name).name


def test_a_pdf_is_stored_as_sent_with_its_hash(settings: object) -> None:
    body = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
    stored = accept_upload(SimpleUploadedFile("report.pdf", body), kinds={"pdf", "image"})
    assert default_storage.open(stored.name).read() == body
    assert stored.sha256 == hashlib.sha256(body).hexdigest()
    assert (stored.kind, stored.content_type, stored.size) == ("pdf", "application/pdf", len(body))


def test_a_video_is_recognised_by_its_content() -> None:
    mp4 = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 100
    stored = accept_upload(SimpleUploadedFile("clip.jpg", mp4), kinds={"video"})
    assert stored.content_type == "video/mp4"


def test_a_file_whose_content_is_not_an_allowed_type_is_refused(settings: object) -> None:
    script = SimpleUploadedFile("photo.jpg", b"<script>alert(1)</script>", "image/jpeg")
    with pytest.raises(ValidationFailed) as refused:
        accept_upload(script, kinds={"image"})
    assert refused.value.fields == {"file": [refused.value.message]}
    assert "photo (JPEG, PNG or WebP)" in refused.value.message
    assert stored_files(Path(settings.MEDIA_ROOT)) == []  # type: ignore[attr-defined]


def test_a_pdf_is_refused_where_only_photos_are_allowed() -> None:
    with pytest.raises(ValidationFailed):
        accept_upload(SimpleUploadedFile("a.jpg", b"%PDF-1.4 ..."), kinds={"image"})


def test_a_heic_photo_is_not_taken_for_a_video() -> None:
    heic = b"\x00\x00\x00\x18ftypheic" + b"\x00" * 100
    with pytest.raises(ValidationFailed):
        accept_upload(SimpleUploadedFile("a.mp4", heic), kinds={"video"})


def test_a_damaged_photo_is_refused_with_a_clear_message(settings: object) -> None:
    truncated = jpeg_with_gps()[:200]
    with pytest.raises(ValidationFailed, match="could not be read"):
        accept_upload(SimpleUploadedFile("a.jpg", truncated), kinds={"image"})
    assert stored_files(Path(settings.MEDIA_ROOT)) == []  # type: ignore[attr-defined]


def test_a_file_over_the_limit_is_refused_and_not_stored(settings: object) -> None:
    body = b"%PDF-1.7\n" + b"x" * 5000
    with pytest.raises(TooLarge) as refused:
        accept_upload(SimpleUploadedFile("big.pdf", body), kinds={"pdf"}, max_bytes=4096)
    assert refused.value.status == 413
    assert stored_files(Path(settings.MEDIA_ROOT)) == []  # type: ignore[attr-defined]


@override_settings(UPLOAD_MAX_BYTES=1024)
def test_a_caller_cannot_raise_the_mission_wide_limit() -> None:
    with pytest.raises(TooLarge):
        accept_upload(
            SimpleUploadedFile("big.pdf", b"%PDF-" + b"x" * 2000), kinds={"pdf"}, max_bytes=10**9
        )


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(ValidationFailed, match="empty"):
        accept_upload(SimpleUploadedFile("a.pdf", b""), kinds={"pdf"})


def test_an_image_too_large_in_pixels_is_refused_before_decoding(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("ceasefire.core.uploads.MAX_IMAGE_PIXELS", 50)
    with pytest.raises(ValidationFailed, match="too large in pixels"):
        accept_upload(SimpleUploadedFile("a.png", png()), kinds={"image"})
