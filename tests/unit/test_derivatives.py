"""Chat previews (core.storage.derivatives): size, format, metadata and Telegram's photo
rules, whatever the source."""

from __future__ import annotations

import io
import random

import pytest
from PIL import Image

from core.storage.derivatives import (
    PHOTO_MAX_ASPECT,
    PHOTO_MAX_SIDES_SUM_PX,
    PREVIEW_MAX_BYTES,
    PREVIEW_MAX_SIDE_PX,
    PreviewError,
    make_preview,
)

# Bot API "Sending files": a photo sent by URL is fetched by Telegram up to 5 MB.
TELEGRAM_PHOTO_BY_URL_MAX_BYTES = 5_000_000


def encoded(image: Image.Image, fmt: str = "PNG", **params) -> bytes:
    out = io.BytesIO()
    image.save(out, format=fmt, **params)
    return out.getvalue()


def noise(width: int, height: int, mode: str = "RGB", seed: int = 7) -> Image.Image:
    """Random pixels: the worst case for any encoder's size."""
    bands = len(mode)
    return Image.frombytes(
        mode, (width, height), random.Random(seed).randbytes(width * height * bands)
    )


def decoded(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def assert_telegram_photo(preview) -> None:
    assert len(preview.data) <= TELEGRAM_PHOTO_BY_URL_MAX_BYTES
    assert preview.width + preview.height <= PHOTO_MAX_SIDES_SUM_PX
    long, short = max(preview.width, preview.height), min(preview.width, preview.height)
    assert long <= PHOTO_MAX_ASPECT * short


def test_a_large_png_becomes_a_progressive_jpeg_of_1280_px_without_metadata():
    source = Image.new("RGB", (2048, 1536), (40, 90, 160))
    source.info["comment"] = b"secret prompt"
    data = encoded(source, "PNG", pnginfo=None)
    preview = make_preview(data, "image/png")
    image = decoded(preview.data)
    assert preview.mime == "image/jpeg" and image.format == "JPEG"
    assert (preview.width, preview.height) == image.size == (PREVIEW_MAX_SIDE_PX, 960)
    assert image.info.get("progressive") or image.info.get("progression")
    assert "exif" not in image.info and "icc_profile" not in image.info
    assert "comment" not in image.info
    assert_telegram_photo(preview)


def test_a_jpeg_source_with_exif_icc_and_a_comment_keeps_none_of_them():
    exif = Image.Exif()
    exif[0x010E] = "a prompt in the description"  # ImageDescription
    source = Image.new("RGB", (800, 600), (200, 100, 50))
    data = encoded(
        source, "JPEG", exif=exif, icc_profile=b"\0" * 200, comment=b"a prompt in the comment"
    )
    assert b"a prompt" in data
    preview = make_preview(data, "image/jpeg")
    assert b"a prompt" not in preview.data
    image = decoded(preview.data)
    assert (preview.width, preview.height) == (800, 600)  # never upscaled
    assert not {"exif", "icc_profile", "comment"} & set(image.info)


def test_an_exif_orientation_is_applied_since_the_preview_keeps_no_exif():
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90 degrees clockwise to display
    data = encoded(Image.new("RGB", (400, 100), "red"), "JPEG", exif=exif)
    preview = make_preview(data, "image/jpeg")
    assert (preview.width, preview.height) == decoded(preview.data).size == (100, 400)


def test_a_small_image_is_never_upscaled():
    preview = make_preview(encoded(Image.new("RGB", (64, 32), "red")), "image/png")
    assert (preview.width, preview.height) == decoded(preview.data).size == (64, 32)


def test_transparency_is_flattened_on_white():
    source = Image.new("RGBA", (300, 200), (255, 0, 0, 0))  # fully transparent red
    source.paste((0, 0, 255, 255), (0, 0, 100, 200))  # an opaque blue band
    image = decoded(make_preview(encoded(source), "image/png").data)
    assert image.mode == "RGB"
    r, g, b = image.getpixel((250, 100))
    assert min(r, g, b) >= 245  # white, not red nor black
    r, g, b = image.getpixel((20, 100))
    assert b >= 200 and r <= 40


def test_a_palette_png_with_a_transparent_index_is_flattened_on_white():
    source = Image.new("P", (100, 100), 0)
    source.putpalette([0, 0, 0, 255, 0, 0] + [0] * 762)
    source.paste(1, (0, 0, 50, 100))
    data = encoded(source, "PNG", transparency=0)
    image = decoded(make_preview(data, "image/png").data)
    assert min(image.getpixel((90, 50))) >= 245
    assert image.getpixel((10, 50))[0] >= 200


@pytest.mark.parametrize(
    "size",
    [(20_000, 50), (50, 20_000), (7_000, 7_000), (4096, 4096), (1281, 3)],
    ids=["wide-400-to-1", "tall-1-to-400", "huge-square", "noise-4096", "barely-wide"],
)
def test_extreme_sources_still_meet_telegrams_photo_rules(size):
    width, height = size
    source = noise(width, height) if width * height <= 4096 * 4096 else Image.new("L", size, 128)
    preview = make_preview(encoded(source), "image/png")
    assert_telegram_photo(preview)
    assert max(preview.width, preview.height) <= PREVIEW_MAX_SIDE_PX
    assert decoded(preview.data).size == (preview.width, preview.height)


def test_noise_that_would_not_fit_is_made_smaller_until_it_does(monkeypatch):
    import core.storage.derivatives as derivatives

    monkeypatch.setattr(derivatives, "PREVIEW_MAX_BYTES", 200_000)
    preview = make_preview(encoded(noise(2048, 2048)), "image/png")
    assert len(preview.data) <= 200_000
    assert max(preview.width, preview.height) < PREVIEW_MAX_SIDE_PX
    assert PREVIEW_MAX_BYTES < TELEGRAM_PHOTO_BY_URL_MAX_BYTES  # the real margin


@pytest.mark.parametrize(
    "data",
    [b"", b"not an image at all", b"\x89PNG\r\n\x1a\n" + b"\0" * 40],
    ids=["empty", "text", "truncated-png"],
)
def test_what_is_not_an_image_is_refused_with_a_preview_error(data):
    with pytest.raises(PreviewError):
        make_preview(data, "image/png")


@pytest.mark.parametrize("side_px", [9_000, 20_000], ids=["over-ours", "over-pillows"])
def test_a_declared_size_over_the_pixel_limit_is_refused_before_decoding(side_px):
    # A 1-bit PNG: a few kilobytes that would decode to 81 or 400 megapixels.
    data = encoded(Image.new("1", (side_px, side_px)))
    assert len(data) < 100_000
    with pytest.raises(PreviewError, match="refused"):
        make_preview(data, "image/png")


def test_the_preview_repr_never_shows_the_bytes():
    preview = make_preview(encoded(Image.new("RGB", (10, 10))), "image/png")
    assert "\\x" not in repr(preview) and "bytes" in repr(preview)
