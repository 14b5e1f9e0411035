"""core.jobs.uploads.sanitize: type by content, limits from the header before decoding,
still images only, and a fresh encoding that carries no metadata at all."""

from __future__ import annotations

import io
import time

import pytest
from PIL import Image

from core.errors import ReferenceImageRefused
from core.jobs.uploads import REFUSAL_REASONS, check_declared_size, sanitize, sanitize_all
from core.settings import CoreSettings
from core.text.catalogue import Messages
from core.types import ReferenceUpload
from tests.support import upload_images as img

SETTINGS = CoreSettings(policy_version="test")
METADATA_MARKERS = (
    b"Exif",
    b"SeedCam",
    img.CAMERA_SERIAL.encode(),
    b"seedream-xmp-secret",
    b"seedream-comment-secret",
    b"seedream-png-text-secret",
    b"ICC_PROFILE",
    b"iCCP",
    b"eXIf",
    b"tEXt",
    b"iTXt",
    b"zTXt",
    b"http://ns.adobe.com/xap",
)


def _refused(data: bytes, settings: CoreSettings = SETTINGS, name: str = "x.png") -> str:
    with pytest.raises(ReferenceImageRefused) as caught:
        sanitize(ReferenceUpload(data, name), settings)
    assert caught.value.reason in REFUSAL_REASONS
    return caught.value.reason


def _no_metadata(data: bytes) -> None:
    for marker in METADATA_MARKERS:
        assert marker not in data, marker
    with Image.open(io.BytesIO(data)) as image:
        assert not image.getexif()
        assert image.info.get("icc_profile") is None
        assert "exif" not in image.info and "xmp" not in image.info
        assert "comment" not in image.info


@pytest.mark.parametrize(
    ("data", "mime"),
    [
        (img.png(), "image/jpeg"),
        (img.jpeg(), "image/jpeg"),
        (img.webp(), "image/jpeg"),
        (img.gif(), "image/jpeg"),
        (img.png(mode="RGBA", color=(1, 2, 3, 100)), "image/png"),
        (img.multi_picture_jpeg(), "image/jpeg"),  # a camera MPO is a still JPEG
    ],
    ids=["png", "jpeg", "webp", "gif", "png-alpha", "mpo"],
)
def test_each_taken_format_is_re_encoded(data, mime):
    clean = sanitize(ReferenceUpload(data, "whatever.bin"), SETTINGS)
    assert clean.mime == mime
    with Image.open(io.BytesIO(clean.data)) as image:
        assert image.format == {"image/png": "PNG", "image/jpeg": "JPEG"}[mime]
        assert (image.width, image.height) == (clean.width_px, clean.height_px)
    _no_metadata(clean.data)
    assert repr(clean).startswith("CleanImage(") and "bytes)" in repr(clean)


def test_a_geotagged_photo_loses_every_piece_of_metadata_and_stands_upright():
    data = img.geotagged_jpeg((80, 40), orientation=6)
    with Image.open(io.BytesIO(data)) as original:  # the fixture really carries it all
        exif = original.getexif()
        assert exif.get_ifd(0x8825)[2] == img.GPS_LATITUDE  # GPSInfo, GPSLatitude
        assert original.info.get("icc_profile") and b"seedream-xmp-secret" in data
        assert original.info.get("comment") == b"seedream-comment-secret"
    assert img.CAMERA_SERIAL.encode() in data

    clean = sanitize(ReferenceUpload(data, "IMG_0001.JPG"), SETTINGS)
    assert clean.mime == "image/jpeg"
    _no_metadata(clean.data)
    # Orientation 6 applied: the 80x40 landscape stands as 40x80, the light band on
    # the left of the stored picture now at its top.
    assert (clean.width_px, clean.height_px) == (40, 80)
    with Image.open(io.BytesIO(clean.data)) as upright:
        assert upright.size == (40, 80)
        assert upright.convert("L").getpixel((20, 5)) > 200
        assert upright.convert("L").getpixel((20, 75)) < 60


def test_a_png_with_transparency_and_text_stays_a_png_without_metadata():
    clean = sanitize(ReferenceUpload(img.rgba_png_with_metadata(), "a.png"), SETTINGS)
    assert clean.mime == "image/png" and clean.ext == "png"
    _no_metadata(clean.data)
    with Image.open(io.BytesIO(clean.data)) as image:
        assert image.mode == "RGBA" and image.getpixel((0, 0))[3] == 128


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (img.NOT_AN_IMAGE, "not_an_image"),
        (img.bmp(), "not_an_image"),  # an image, but not a format references take
        (img.animated_gif(), "animated"),
        (img.animated_png(), "animated"),
        (img.animated_webp(), "animated"),
        (img.truncated_jpeg(), "unreadable"),
        (img.huge_header_png(), "too_many_pixels"),
        (img.header_png(10_000, 5_000), "too_many_pixels"),  # 50 MP: under Pillow's guard
        (img.header_png(512, 512), "unreadable"),  # within limits, but no pixels behind
    ],
    ids=[
        "0-byte",
        "text-named-png",
        "bmp",
        "animated-gif",
        "animated-png",
        "animated-webp",
        "truncated-jpeg",
        "huge-ihdr",
        "50-megapixels",
        "no-pixel-data",
    ],
)
def test_hostile_uploads_are_refused_with_their_reason(data, reason):
    assert _refused(data) == reason


def test_a_decompression_bomb_is_refused_from_its_header_without_decoding():
    bomb = img.decompression_bomb_png(30_000)
    assert len(bomb) < 1_000_000  # under a megabyte, 900 megapixels declared
    started = time.monotonic()
    assert _refused(bomb) == "too_many_pixels"
    assert time.monotonic() - started < 2.0  # decoding it would take far longer


def test_the_pixel_limit_is_the_calls_own_and_leaves_pillows_global_alone():
    before = Image.MAX_IMAGE_PIXELS
    tight = CoreSettings(policy_version="test", upload_max_megapixels=0.01)  # 10,000 px
    with pytest.raises(ReferenceImageRefused) as caught:
        sanitize(ReferenceUpload(img.png((101, 100))), tight)
    assert caught.value.params == {"reason": "too_many_pixels", "max_megapixels": 0.01}
    assert sanitize(ReferenceUpload(img.png((100, 100))), tight).width_px == 100
    assert Image.MAX_IMAGE_PIXELS == before
    # A limit above Pillow's own: its guard still refuses a bomb, as too_many_pixels.
    loose = CoreSettings(policy_version="test", upload_max_megapixels=100_000)
    assert _refused(img.decompression_bomb_png(30_000), loose) == "too_many_pixels"


def test_the_byte_limit_applies_to_the_bytes_and_to_a_declared_size():
    small = CoreSettings(policy_version="test", upload_max_bytes=2 * 1024 * 1024)
    big = img.png((16, 16)) + b"\x00" * (2 * 1024 * 1024)
    with pytest.raises(ReferenceImageRefused) as caught:
        sanitize(ReferenceUpload(big), small)
    assert caught.value.params == {"reason": "too_large", "max_mb": 2}
    for size_bytes, reason in ((0, "empty"), (2 * 1024 * 1024 + 1, "too_large")):
        with pytest.raises(ReferenceImageRefused) as declared:
            check_declared_size(small, size_bytes)
        assert declared.value.reason == reason
    check_declared_size(small, 2 * 1024 * 1024)  # at the limit: taken
    off = CoreSettings(policy_version="test", uploads_enabled=False)
    with pytest.raises(ReferenceImageRefused) as disabled:
        check_declared_size(off, 10)
    assert disabled.value.reason == "disabled"


async def test_sanitize_all_keeps_the_order_and_stops_at_the_first_refusal():
    first, second = img.png((10, 20)), img.jpeg((30, 40))
    cleaned = await sanitize_all((ReferenceUpload(first), ReferenceUpload(second)), SETTINGS)
    assert [(c.width_px, c.height_px) for c in cleaned] == [(10, 20), (30, 40)]
    with pytest.raises(ReferenceImageRefused) as caught:
        await sanitize_all((ReferenceUpload(first), ReferenceUpload(b"")), SETTINGS)
    assert caught.value.reason == "empty"


def test_every_refusal_reason_has_an_english_text():
    messages = Messages()
    params = {"max_mb": 20, "max_megapixels": 40, "max_images": 4, "model_id": "preview"}
    for reason in REFUSAL_REASONS:
        error = ReferenceImageRefused(reason=reason, **params)
        key = f"error.reference_image.{reason}"
        assert messages.has(key), key
        text = messages.render_error(error, "en")
        assert "{" not in text and text.endswith("Nothing was charged."), text


@pytest.mark.parametrize(
    ("limit", "locale", "said"),
    [
        (1.0, "en", "the limit is 1 megapixel."),
        (2.5, "en", "the limit is 2.5 megapixels."),
        (2.5, "de", "erlaubt sind 2,5 Megapixel."),
        (2.5, "ru", "максимум 2,5 Мп."),
        (1.5, "pt-BR", "o limite é 1,5 megapixel."),
        (12, "es", "el límite es 12 megapíxeles."),
    ],
)
def test_the_pixel_limit_is_a_number_each_language_formats_and_counts(limit, locale, said):
    settings = CoreSettings(policy_version="test", upload_max_megapixels=limit)
    with pytest.raises(ReferenceImageRefused) as caught:
        sanitize(ReferenceUpload(img.header_png(5_000, 5_000), "x.png"), settings)
    assert isinstance(caught.value.params["max_megapixels"], int | float)
    assert said in Messages().render_error(caught.value, locale)
