"""Reference images users bring to /imagine: checked, re-encoded without metadata and
stored under the account (``uploads/<account>/``) like any other personal data.

An upload is untrusted bytes. ``sanitize`` decides its type by content (never by its
name), refuses what is empty, too large, not a still PNG/JPEG/WebP/GIF, or declares more
pixels than allowed (read from the header, before anything is decoded), then decodes it,
turns it upright (EXIF orientation) and encodes a fresh image with no metadata at all:
no EXIF (so no GPS position or camera serial), no XMP, no ICC profile, no comments.
"""

from __future__ import annotations

import asyncio
import io
import logging
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from core.errors import ReferenceImageRefused
from core.settings import CoreSettings
from core.types import ReferenceUpload

log = logging.getLogger("seedream.core")

# Why an upload is refused (``ReferenceImageRefused.reason``, each a message key).
REFUSAL_REASONS = (
    "empty",
    "too_large",
    "not_an_image",
    "too_many_pixels",
    "animated",
    "unreadable",
    "too_many",
    "unsupported",
    "disabled",
    "paid_plans_only",
    "gone",
)

# The formats taken, as Pillow names them; decided by the bytes, not the file name.
# Pillow opens some camera JPEGs as "MPO" (a JPEG followed by a depth map or preview):
# those are JPEGs, and only their first picture is used.
ACCEPTED_FORMATS = ("PNG", "JPEG", "WEBP", "GIF")
_STILL_MULTI_PICTURE = frozenset({"MPO"})
JPEG_QUALITY = 92
_MIME = {"PNG": "image/png", "JPEG": "image/jpeg"}
EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg"}


@dataclass(frozen=True, slots=True, repr=False)
class CleanImage:
    """An upload after ``sanitize``: freshly encoded bytes (PNG when it has transparency,
    else JPEG) without any metadata, and their size."""

    data: bytes
    mime: str
    width_px: int
    height_px: int

    @property
    def ext(self) -> str:
        return EXTENSIONS[self.mime]

    def __repr__(self) -> str:  # never the bytes in logs
        return f"CleanImage({self.mime}, {self.width_px}x{self.height_px}, {len(self.data)} bytes)"


def check_declared_size(settings: CoreSettings, size_bytes: int) -> None:
    """Refuse an upload by the size its platform declares, before it is downloaded.

    Raises:
        ReferenceImageRefused: uploads are off (``disabled``), or ``size_bytes`` is over
            the limit (``too_large``) or 0 (``empty``).
    """
    if not settings.uploads_enabled:
        raise ReferenceImageRefused(reason="disabled")
    if size_bytes <= 0:
        raise ReferenceImageRefused(reason="empty")
    if size_bytes > settings.upload_max_bytes:
        raise _too_large(settings)


def _too_large(settings: CoreSettings) -> ReferenceImageRefused:
    return ReferenceImageRefused(
        reason="too_large", max_mb=max(1, settings.upload_max_bytes // (1024 * 1024))
    )


def _too_many_pixels(settings: CoreSettings) -> ReferenceImageRefused:
    # A number, so each language formats it (2,5) and picks its plural; a whole number
    # as an int, since CLDR counts "1.0" as a fraction (English "1.0 megapixels").
    limit = settings.upload_max_megapixels
    return ReferenceImageRefused(
        reason="too_many_pixels", max_megapixels=int(limit) if float(limit).is_integer() else limit
    )


def sanitize(upload: ReferenceUpload, settings: CoreSettings) -> CleanImage:
    """Check one upload and re-encode it without metadata. CPU-bound: call it through
    ``asyncio.to_thread`` (``sanitize_all`` does).

    The pixel limit is this call's own (``settings.upload_max_megapixels``), checked on
    the size the header declares before any pixel is decoded. Pillow's process-wide
    guard (``Image.MAX_IMAGE_PIXELS``) is left as it is, a second line behind it: its
    error (and its warning, where warnings are errors) are refusals too.

    Raises:
        ReferenceImageRefused: ``empty``, ``too_large`` (max_mb), ``not_an_image``,
            ``too_many_pixels`` (max_megapixels), ``animated`` or ``unreadable``.
    """
    data = upload.data
    if not data:
        raise ReferenceImageRefused(reason="empty")
    if len(data) > settings.upload_max_bytes:
        raise _too_large(settings)
    max_pixels = int(settings.upload_max_megapixels * 1_000_000)
    try:
        # Image.open reads the header only: the size, the format, the frame count.
        with Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS) as image:
            if image.width * image.height > max_pixels:
                raise _too_many_pixels(settings)
            if image.format not in _STILL_MULTI_PICTURE and (
                getattr(image, "is_animated", False) or getattr(image, "n_frames", 1) > 1
            ):
                raise ReferenceImageRefused(reason="animated")
            return _reencode(image)
    except ReferenceImageRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels(settings) from None
    except UnidentifiedImageError:
        raise ReferenceImageRefused(reason="not_an_image") from None
    except Exception as exc:
        # A damaged or truncated file (OSError "image file is truncated", SyntaxError
        # for a broken chunk, and whatever else a hostile file makes a decoder raise).
        log.info("upload unreadable: %s", type(exc).__name__)
        raise ReferenceImageRefused(reason="unreadable") from None


def _reencode(image: Image.Image) -> CleanImage:
    image.load()  # decode (raises on a damaged or truncated file)
    upright = ImageOps.exif_transpose(image) or image
    alpha = upright.mode in ("RGBA", "LA", "PA") or (
        upright.mode == "P" and "transparency" in upright.info
    )
    fmt = "PNG" if alpha else "JPEG"
    clean = upright.convert("RGBA" if alpha else "RGB")
    if clean is upright:
        clean = upright.copy()
    # Encoders copy some metadata from ``info`` when not told otherwise (PNG its ICC
    # profile, JPEG its comment): the new image carries none.
    clean.info = {}
    out = io.BytesIO()
    if fmt == "JPEG":
        clean.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    else:
        clean.save(out, "PNG", optimize=False, compress_level=6)
    return CleanImage(out.getvalue(), _MIME[fmt], clean.width, clean.height)


async def sanitize_all(
    uploads: tuple[ReferenceUpload, ...], settings: CoreSettings
) -> list[CleanImage]:
    """``sanitize`` each upload in a worker thread, one after the other (each may hold
    a decoded image of up to the pixel limit in memory).

    Raises:
        ReferenceImageRefused: the first upload refused (the others are not kept).
    """
    return [await asyncio.to_thread(sanitize, upload, settings) for upload in uploads]
