"""Shared provider plumbing: image checks, retry-after forms."""

from __future__ import annotations

import base64
import io

import httpx
import pytest
from PIL import Image

from core.errors import ProviderPermanent, ProviderRateLimited, ProviderTransient
from core.providers.common import (
    checked_image,
    closest_size,
    decode_base64_image,
    fold_negative_prompt,
    parse_retry_after,
    raise_for_status,
    sniff_image_mime,
)


def _png(size=(8, 4)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "red").save(out, format="PNG")
    return out.getvalue()


def test_images_are_checked_by_magic_bytes_and_size():
    image = checked_image(_png())
    assert (image.mime, image.width, image.height) == ("image/png", 8, 4)
    assert sniff_image_mime(b"RIFF\0\0\0\0WEBPVP8 ") == "image/webp"
    assert sniff_image_mime(b"\xff\xd8\xff\xe0") == "image/jpeg"
    for bad in (b"<html>nope</html>", b"GIF89a....", b""):
        with pytest.raises(ProviderPermanent):
            checked_image(bad)
    with pytest.raises(ProviderPermanent):
        checked_image(_png(), max_bytes=10)
    with pytest.raises(ProviderPermanent):
        checked_image(b"\x89PNG\r\n\x1a\n" + b"garbage")  # right magic, not decodable


def test_base64_and_data_urls():
    raw = base64.b64encode(_png()).decode()
    assert decode_base64_image(raw).width == 8
    assert decode_base64_image(f"data:image/png;base64,{raw}").height == 4
    with pytest.raises(ProviderPermanent):
        decode_base64_image("!!!not base64!!!")


@pytest.mark.parametrize(
    ("headers", "seconds"),
    [
        ({"retry-after": "7"}, 7.0),
        ({"retry-after-ms": "1500"}, 1.5),
        ({"x-ratelimit-reset-requests": "6m0s"}, 360.0),
        ({"x-ratelimit-reset-requests": "120ms"}, 0.12),
        ({}, 5.0),
    ],
)
def test_retry_after_forms(headers, seconds):
    assert parse_retry_after(httpx.Headers(headers)) == pytest.approx(seconds)


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (429, ProviderRateLimited),
        (500, ProviderTransient),
        (503, ProviderTransient),
        (408, ProviderTransient),
        (400, ProviderPermanent),
        (401, ProviderPermanent),
    ],
)
def test_status_mapping(status, error):
    response = httpx.Response(status, headers={"retry-after": "3"})
    with pytest.raises(error) as err:
        raise_for_status(response, what="test")
    if error is ProviderRateLimited:
        assert err.value.retry_after_s == 3.0
    raise_for_status(httpx.Response(200), what="test")  # no error


def test_negative_prompt_folding_and_sizes():
    assert fold_negative_prompt("a fox", None) == "a fox"
    assert "Avoid: text" in fold_negative_prompt("a fox", "text")
    allowed = [(1024, 1024), (1536, 1024), (1024, 1536)]
    assert closest_size(1344, 768, allowed) == (1536, 1024)
    assert closest_size(768, 1344, allowed) == (1024, 1536)
