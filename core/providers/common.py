"""What every HTTP image provider shares: error mapping, retry-after parsing, safe image
downloads and decoding, negative-prompt folding. Providers use one shared
``httpx.AsyncClient`` (opened by the bootstrap) and never a vendor SDK.

Error mapping (the typed set the worker acts on, from ``core.errors``):
    429                                   → ProviderRateLimited(retry_after_s)
    408, 409 (busy), 5xx, timeouts, network errors → ProviderTransient (retried, failed over)
    the provider's moderation signal      → ProviderRefused (never retried, refunded)
    404 (no such model or endpoint here)  → RouteUnsupported (the next route is tried)
    any other 4xx, bad payloads           → ProviderPermanent (refunded)
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import email.utils
import io
import math
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import urlsplit

import httpx
from PIL import Image

from core.errors import (
    ProviderPermanent,
    ProviderRateLimited,
    ProviderTransient,
    RouteUnsupported,
)
from core.providers.base import GeneratedImage, GenerationSpec

MAX_IMAGE_BYTES = 25 * 1024 * 1024
_JPEG_QUALITY = 90
_MAX_SHRINK_STEPS = 8
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)


def sniff_image_mime(data: bytes) -> str | None:
    """PNG, JPEG or WebP by magic bytes; anything else is ``None``."""
    for magic, mime in _MAGIC:
        if data.startswith(magic):
            return mime
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def checked_image(data: bytes, *, max_bytes: int = MAX_IMAGE_BYTES) -> GeneratedImage:
    """Wrap image bytes after checking their size and type.

    Raises:
        ProviderPermanent: too large, not PNG/JPEG/WebP, or undecodable.
    """
    if len(data) > max_bytes:
        raise ProviderPermanent(reason="image larger than the limit")
    mime = sniff_image_mime(data)
    if mime is None:
        raise ProviderPermanent(reason="provider returned something that is not an image")
    try:
        with Image.open(io.BytesIO(data)) as img:
            width, height = img.size
    except Exception as exc:
        raise ProviderPermanent(reason="provider returned an undecodable image") from exc
    return GeneratedImage(data=data, mime=mime, width=width, height=height)


def decode_base64_image(value: str, *, max_bytes: int = MAX_IMAGE_BYTES) -> GeneratedImage:
    """Plain base64 or a ``data:image/...;base64,`` URL.

    Raises:
        ProviderPermanent: not base64, or not an acceptable image.
    """
    if value.startswith("data:"):
        _, _, value = value.partition(",")
    if len(value) > max_bytes * 4 // 3 + 8:
        raise ProviderPermanent(reason="image larger than the limit")
    try:
        data = base64.b64decode(value, validate=False)
    except (binascii.Error, ValueError) as exc:
        raise ProviderPermanent(reason="provider returned invalid base64") from exc
    return checked_image(data, max_bytes=max_bytes)


async def download_image(
    http: httpx.AsyncClient,
    url: str,
    *,
    max_bytes: int = MAX_IMAGE_BYTES,
    headers: dict[str, str] | None = None,
) -> GeneratedImage:
    """Fetch an image a provider pointed at, streaming, stopping at ``max_bytes``.

    Raises:
        ProviderTransient: network trouble or a 5xx; ProviderPermanent: a bad URL, a 4xx,
        too large, or not an image.
    """
    if urlsplit(url).scheme not in ("http", "https"):
        raise ProviderPermanent(reason="provider returned a non-HTTP image URL")
    async with transport_errors():
        async with http.stream("GET", url, headers=headers) as response:
            if response.status_code >= 500:
                raise ProviderTransient(reason=f"image download HTTP {response.status_code}")
            if response.status_code != 200:
                raise ProviderPermanent(reason=f"image download HTTP {response.status_code}")
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise ProviderPermanent(reason="image larger than the limit")
            chunks, total = [], 0
            async for chunk in response.aiter_bytes():
                total += len(chunk)
                if total > max_bytes:
                    raise ProviderPermanent(reason="image larger than the limit")
                chunks.append(chunk)
    return checked_image(b"".join(chunks), max_bytes=max_bytes)


def image_data_url(
    data: bytes,
    *,
    max_chars: int,
    max_pixels: int,
    mimes: tuple[str, ...] = ("image/png", "image/jpeg"),
) -> str:
    """A ``data:<mime>;base64,...`` URL of an image, for services that take input images
    inline, at most ``max_chars`` long: the bytes as they are when their type is one of
    ``mimes`` and they fit, else re-encoded (PNG when that fits, else JPEG scaled down
    step by step until it does). Re-encoding is CPU work: call it in a thread.

    Raises:
        ProviderPermanent: not an image, or no smaller copy fits.
    """
    mime = sniff_image_mime(data)
    if mime is None:
        raise ProviderPermanent(reason="the source image is not PNG, JPEG or WebP")
    try:
        image = Image.open(io.BytesIO(data))  # reads the header only
        width, height = image.size
        if mime in mimes and width * height <= max_pixels:
            url = _data_url(data, mime)
            if len(url) <= max_chars:
                return url
        image.load()
    except Exception as exc:
        raise ProviderPermanent(reason="the source image cannot be read") from exc
    scale = min(1.0, math.sqrt(max_pixels / (width * height)))
    if scale == 1.0 and "image/png" in mimes:  # only the type was wrong: stay lossless
        url = _data_url(_encode(image, "PNG"), "image/png")
        if len(url) <= max_chars:
            return url
    for _ in range(_MAX_SHRINK_STEPS):
        size = (max(16, round(width * scale)), max(16, round(height * scale)))
        url = _data_url(_encode(image.resize(size, Image.Resampling.LANCZOS), "JPEG"), "image/jpeg")
        if len(url) <= max_chars:
            return url
        scale *= 0.75
    raise ProviderPermanent(reason="the source image is too large for the service")


def _encode(image: Image.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    if fmt == "JPEG":
        image = image.convert("RGB")
        image.save(out, format="JPEG", quality=_JPEG_QUALITY)
    else:
        image.save(out, format=fmt)
    return out.getvalue()


def _data_url(data: bytes, mime: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def parse_retry_after(headers: httpx.Headers, *, default_s: float = 5.0) -> float:
    """Seconds to wait from ``retry-after`` (seconds or an HTTP date), ``retry-after-ms``,
    or the ``x-ratelimit-reset-*`` forms (``"1s"``, ``"6m0s"``, ``"120ms"``)."""
    ms = headers.get("retry-after-ms")
    if ms and _is_number(ms):
        return max(0.0, float(ms) / 1000)
    value = headers.get("retry-after")
    if value:
        if _is_number(value):
            return max(0.0, float(value))
        parsed = email.utils.parsedate_to_datetime(value) if "," in value else None
        if parsed is not None:
            return max(0.0, parsed.timestamp() - time.time())
    for name in ("x-ratelimit-reset-requests", "x-ratelimit-reset-tokens", "x-ratelimit-reset"):
        duration = _parse_duration(headers.get(name))
        if duration is not None:
            return duration
    return default_s


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _parse_duration(text: str | None) -> float | None:
    """``"1s"``, ``"6m0s"``, ``"120ms"``, ``"2h"``, or a bare number of seconds."""
    if not text:
        return None
    text = text.strip()
    if _is_number(text):
        return max(0.0, float(text))
    total, number = 0.0, ""
    units = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}
    i = 0
    while i < len(text):
        ch = text[i]
        if ch.isdigit() or ch == ".":
            number += ch
            i += 1
            continue
        unit = "ms" if text[i : i + 2] == "ms" else ch
        if unit not in units or not number:
            return None
        total += float(number) * units[unit]
        number = ""
        i += len(unit)
    return total if not number else None


def raise_for_status(response: httpx.Response, *, what: str) -> None:
    """Map a non-2xx response that is not the provider's moderation signal.

    Raises:
        ProviderRateLimited, ProviderTransient, RouteUnsupported (404: the service has no
        such model or endpoint, so the model's next route may), ProviderPermanent.
    """
    status = response.status_code
    if status < 400:
        return
    if status == 404:
        raise RouteUnsupported(reason=f"{what} HTTP 404")
    if status == 429:
        raise ProviderRateLimited(
            retry_after_s=parse_retry_after(response.headers), reason=f"{what} HTTP 429"
        )
    if status in (408, 409) or status >= 500:
        raise ProviderTransient(reason=f"{what} HTTP {status}")
    raise ProviderPermanent(reason=f"{what} HTTP {status}")


@asynccontextmanager
async def transport_errors() -> AsyncIterator[None]:
    """httpx timeouts and network failures become ``ProviderTransient``."""
    try:
        yield
    except httpx.TimeoutException as exc:
        raise ProviderTransient(reason="provider timed out") from exc
    except httpx.TransportError as exc:
        raise ProviderTransient(reason="provider unreachable") from exc


def json_body(response: httpx.Response) -> dict:
    """Raises: ProviderPermanent when the body is not a JSON object (a 5xx body is the
    caller's to map first)."""
    try:
        body = response.json()
    except ValueError as exc:
        raise ProviderPermanent(reason="provider returned invalid JSON") from exc
    if not isinstance(body, dict):
        raise ProviderPermanent(reason="provider returned an unexpected JSON shape")
    return body


def fold_negative_prompt(prompt: str, negative: str | None) -> str:
    """For APIs without a negative prompt field: say it in words."""
    return f"{prompt}\n\nAvoid: {negative}" if negative else prompt


def closest_size(width: int, height: int, allowed: list[tuple[int, int]]) -> tuple[int, int]:
    """The allowed size whose aspect ratio is closest to ``width``:``height``."""
    target = width / height
    return min(allowed, key=lambda wh: abs(wh[0] / wh[1] - target))


async def reference_data_urls(
    spec: GenerationSpec,
    *,
    service: str,
    limit: int,
    max_chars_each: int,
    budget_chars: int,
    max_pixels: int,
    mimes: tuple[str, ...],
) -> list[str]:
    """``spec``'s references as data URLs (``image_data_url``), each within its share of
    ``budget_chars``, for services that take input images inline (Gemini, OpenRouter).

    Raises:
        RouteUnsupported: more than ``limit`` references (nothing is sent; the next route
            may take them).
        ProviderPermanent: a reference that is not a readable image.
    """
    count = len(spec.reference_images)
    if count > limit:
        raise RouteUnsupported(
            reason=f"{service} {spec.model} takes {limit} reference images, not {count}"
        )
    if not count:
        return []
    max_chars = min(max_chars_each, budget_chars // count)
    return [
        await asyncio.to_thread(  # re-encoding a large image takes a while
            image_data_url,
            reference.data,
            max_chars=max_chars,
            max_pixels=max_pixels,
            mimes=mimes,
        )
        for reference in spec.reference_images
    ]
