"""Chat-sized derivatives of stored images (previews).

A generated original (a 2048 px PNG from Seedream weighs 5-10 MB) is too large for a chat:
Telegram fetches a photo by link only up to 5 MB and Discord shows embeds at a fraction
of that size. The preview is what chats show, the original stays one link away.

The preview is a progressive JPEG, its long side at most
``PREVIEW_MAX_SIDE_PX`` (never upscaled), transparency flattened on white, with no
metadata (no EXIF, no ICC profile, no comments). Whatever the source, it meets
Telegram's photo rules (Bot API ``sendPhoto``: "The photo must be at most 10 MB in size.
The photo's width and height must not exceed 10000 in total. Width and height ratio must
be at most 20."; "Sending files": 5 MB for a photo sent by URL): a source more extreme
than 20:1 is padded with white to 20:1, and an encoding over ``PREVIEW_MAX_BYTES`` is
made again at a lower quality, then smaller.

Decoding and encoding are CPU work of tens to hundreds of milliseconds: callers run
``make_preview`` in a thread (``asyncio.to_thread``).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageOps

PREVIEW_MAX_SIDE_PX = 1280
PREVIEW_MIME = "image/jpeg"
PREVIEW_EXTENSION = "jpg"
PREVIEW_JPEG_QUALITY = 82
# Telegram's photo-by-URL limit is 5 MB; keep a margin below it.
PREVIEW_MAX_BYTES = 4_500_000
# Telegram's photo rules (Bot API sendPhoto).
PHOTO_MAX_SIDES_SUM_PX = 10_000
PHOTO_MAX_ASPECT = 20
# Sources above this are refused rather than decoded (a decompression bomb guard, under
# Pillow's own warning threshold of ~89 MP; no image service we call draws more than
# ~16 megapixels).
SOURCE_MAX_PIXELS = 64_000_000
_FALLBACK_QUALITIES = (70, 55, 40)
_SHRINK_FACTOR = 0.75
_MIN_SIDE_PX = 1
_WHITE = (255, 255, 255)


class PreviewError(ValueError):
    """The source cannot be made into a preview (not an image, damaged, too large)."""


@dataclass(frozen=True, slots=True, repr=False)
class Preview:
    data: bytes
    mime: str
    width: int
    height: int

    def __repr__(self) -> str:  # never the bytes in logs
        return f"Preview({self.width}x{self.height} {self.mime}, {len(self.data)} bytes)"


def make_preview(data: bytes, mime: str | None = None) -> Preview:
    """The chat preview of the image ``data`` (``mime`` is informative: the bytes decide).

    Raises:
        PreviewError: ``data`` is not a decodable image, or has more than
            ``SOURCE_MAX_PIXELS`` pixels.
    """
    try:
        source = Image.open(io.BytesIO(data))  # the header only
        width, height = source.size
        if width < 1 or height < 1 or width * height > SOURCE_MAX_PIXELS:
            raise PreviewError(f"source of {width}x{height} pixels refused")
        # JPEG sources decode at a reduced scale straight away (DCT scaling).
        source.draft("RGB", (PREVIEW_MAX_SIDE_PX, PREVIEW_MAX_SIDE_PX))
        source.load()
        # Upright as viewers show the original (an EXIF orientation), since no EXIF is kept.
        ImageOps.exif_transpose(source, in_place=True)
    except PreviewError:
        raise
    except Image.DecompressionBombError as exc:
        raise PreviewError("source refused: over Pillow's pixel limit") from exc
    except Exception as exc:  # Pillow raises many types for bad input
        raise PreviewError(f"source {mime or 'image'} cannot be decoded") from exc
    image = _flatten(_fit(source, PREVIEW_MAX_SIDE_PX))
    image = _pad_to_aspect(image, PHOTO_MAX_ASPECT)
    for quality in (PREVIEW_JPEG_QUALITY, *_FALLBACK_QUALITIES):
        encoded = _jpeg(image, quality)
        if len(encoded) <= PREVIEW_MAX_BYTES:
            return Preview(encoded, PREVIEW_MIME, image.width, image.height)
    while True:  # a noise-like picture: smaller until it fits (it always does)
        side = max(16, round(max(image.size) * _SHRINK_FACTOR))
        image = _pad_to_aspect(_fit(image, side), PHOTO_MAX_ASPECT)
        encoded = _jpeg(image, _FALLBACK_QUALITIES[-1])
        if len(encoded) <= PREVIEW_MAX_BYTES:
            return Preview(encoded, PREVIEW_MIME, image.width, image.height)


def _fit(image: Image.Image, max_side_px: int) -> Image.Image:
    """Scaled down (never up) so that the long side is at most ``max_side_px``."""
    width, height = image.size
    scale = max_side_px / max(width, height)
    if scale >= 1:
        return image
    size = (max(_MIN_SIDE_PX, round(width * scale)), max(_MIN_SIDE_PX, round(height * scale)))
    if image.mode not in ("RGB", "RGBA", "L", "LA"):  # palette, CMYK, 16-bit: resample in RGB(A)
        image = image.convert("RGBA" if _has_alpha(image) else "RGB")
    # reducing_gap: a fast integer reduction first, then Lanczos over the last 3x.
    return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or (
        image.mode == "P" and "transparency" in image.info
    )


def _flatten(image: Image.Image) -> Image.Image:
    """RGB, with any transparency composited on white (JPEG has no alpha)."""
    if _has_alpha(image):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, _WHITE)
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image if image.mode == "RGB" else image.convert("RGB")


def _pad_to_aspect(image: Image.Image, max_aspect: int) -> Image.Image:
    """Padded with white, centred, to at most ``max_aspect``:1 either way."""
    width, height = image.size
    if width > height * max_aspect:
        size = (width, -(-width // max_aspect))
    elif height > width * max_aspect:
        size = (-(-height // max_aspect), height)
    else:
        return image
    canvas = Image.new("RGB", size, _WHITE)
    canvas.paste(image, ((canvas.width - width) // 2, (canvas.height - height) // 2))
    return canvas


def _jpeg(image: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    # No metadata: Pillow's JPEG writer also copies a source's comment from ``info``.
    image.info.clear()
    image.save(out, format="JPEG", quality=quality, progressive=True)
    return out.getvalue()
