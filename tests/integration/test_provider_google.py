"""GeminiProvider against the loopback Gemini fake, over real HTTP."""

from __future__ import annotations

import base64
import dataclasses
import io
import random
from collections.abc import AsyncIterator

import pytest
from PIL import Image
from starlette.applications import Starlette

from core.errors import (
    ProviderPermanent,
    ProviderRateLimited,
    ProviderRefused,
    ProviderTransient,
    RouteUnsupported,
)
from core.providers import google
from core.providers.base import GenerationSpec, SourceImage
from core.providers.google import GeminiProvider
from tests.support.fake_gemini import API_KEY, RETRY_DELAY_S, make_app
from tests.support.servers import serve_asgi

MODEL = "gemini-3.1-flash-image"
SPEC = GenerationSpec(
    prompt="a lighthouse at dusk",
    negative_prompt=None,
    model=MODEL,
    aspect_ratio="1:1",
    width=1024,
    height=1024,
    seed=None,
    image_count=1,
)


def spec(**changes) -> GenerationSpec:
    return dataclasses.replace(SPEC, **changes)


@pytest.fixture
async def fake() -> AsyncIterator[tuple[Starlette, str]]:
    app = make_app()
    async with serve_asgi(app) as base_url:
        yield app, f"{base_url}/v1beta"


def provider(http, fake, *, api_key: str = API_KEY) -> GeminiProvider:
    return GeminiProvider(http, api_key=api_key, base_url=fake[1])


async def test_one_call_per_image_with_aspect_ratio_seed_and_folded_negative(http, fake):
    result = await provider(http, fake).generate(
        spec(
            negative_prompt="people",
            aspect_ratio="16:9",
            width=1344,
            height=756,
            seed=41,
            image_count=2,
        )
    )
    assert [(i.mime, i.width, i.height) for i in result.images] == [("image/png", 256, 144)] * 2
    assert result.provider_job_id
    requests = fake[0].state.requests
    assert len(requests) == 2
    assert [r.body["generationConfig"]["seed"] for r in requests] == [41, 42]
    for r in requests:
        assert r.path == f"/v1beta/models/{MODEL}:generateContent"
        assert r.headers["x-goog-api-key"] == API_KEY
        assert "authorization" not in r.headers
        config = r.body["generationConfig"]
        assert "IMAGE" in config["responseModalities"]
        assert config["imageConfig"] == {"aspectRatio": "16:9"}  # 1K: the default size
        assert r.body["contents"] == [
            {"role": "user", "parts": [{"text": "a lighthouse at dusk\n\nAvoid: people"}]}
        ]


async def test_large_and_unlisted_sizes_map_to_image_size_and_closest_ratio(http, fake):
    await provider(http, fake).generate(spec(aspect_ratio="7:3", width=2940, height=1260))
    (request,) = fake[0].state.requests
    config = request.body["generationConfig"]
    assert config["imageConfig"] == {"aspectRatio": "21:9", "imageSize": "2K"}
    assert "seed" not in config


@pytest.mark.parametrize(
    ("marker", "reason"),
    [
        ("[blocked]", "SAFETY"),
        ("[image-safety]", "IMAGE_SAFETY"),
        ("[refuse]", "PROHIBITED_CONTENT"),
    ],
)
async def test_moderation_in_a_200_is_a_refusal(http, fake, marker, reason):
    with pytest.raises(ProviderRefused) as caught:
        await provider(http, fake).generate(spec(prompt=f"{marker} a lighthouse"))
    assert reason in caught.value.reason


async def test_prompt_block_names_prompt_feedback(http, fake):
    with pytest.raises(ProviderRefused) as caught:
        await provider(http, fake).generate(spec(prompt="[blocked] a lighthouse"))
    assert "prompt blocked" in caught.value.reason


async def test_text_only_answer_is_permanent(http, fake):
    with pytest.raises(ProviderPermanent) as caught:
        await provider(http, fake).generate(spec(prompt="[text-only] a lighthouse"))
    assert "describe" in caught.value.reason


async def test_429_uses_retry_info_delay(http, fake):
    with pytest.raises(ProviderRateLimited) as caught:
        await provider(http, fake).generate(spec(prompt="[429] a lighthouse", image_count=2))
    assert caught.value.retry_after_s == RETRY_DELAY_S
    assert len(fake[0].state.requests) == 1


@pytest.mark.parametrize("marker", ["[500]", "[503]"])
async def test_server_errors_are_transient(http, fake, marker):
    with pytest.raises(ProviderTransient):
        await provider(http, fake).generate(spec(prompt=f"{marker} a lighthouse"))


@pytest.mark.parametrize(("api_key", "status"), [("wrong", "400"), ("", "403")])
async def test_bad_key_is_permanent(http, fake, api_key, status):
    with pytest.raises(ProviderPermanent) as caught:
        await provider(http, fake, api_key=api_key).generate(spec())
    assert status in caught.value.reason


async def test_non_image_payload_is_permanent(http, fake):
    with pytest.raises(ProviderPermanent):
        await provider(http, fake).generate(spec(prompt="[garbage] a lighthouse"))


async def test_unknown_model_is_permanent(http, fake):
    bad = GeminiProvider(http, api_key=API_KEY, base_url=fake[1].removesuffix("/v1beta"))
    with pytest.raises(ProviderPermanent) as caught:
        await bad.generate(spec())
    assert "404" in caught.value.reason


# -- reference images: inline image parts after the text ------------------------------------


def _reference(colour=(200, 30, 40), fmt: str = "PNG", mime: str = "image/png", size=(40, 30)):
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format=fmt)
    return SourceImage(out.getvalue(), mime, "http://127.0.0.1:9/never-fetched", *size)


def _noise(side: int) -> SourceImage:
    out = io.BytesIO()
    Image.frombytes("RGB", (side, side), random.Random(side).randbytes(side * side * 3)).save(
        out, format="PNG", compress_level=1
    )
    return SourceImage(out.getvalue(), "image/png", "http://127.0.0.1:9/x", side, side)


def _inline(reference: SourceImage, mime: str = "image/png") -> dict:
    return {"inlineData": {"mimeType": mime, "data": base64.b64encode(reference.data).decode()}}


async def test_one_reference_goes_inline_after_the_text_in_every_call(http, fake):
    reference = _reference()
    result = await provider(http, fake).generate(spec(image_count=2, reference_images=(reference,)))
    assert len(result.images) == 2
    for request in fake[0].state.requests:
        assert request.body["contents"] == [
            {"role": "user", "parts": [{"text": "a lighthouse at dusk"}, _inline(reference)]}
        ]


async def test_several_references_keep_their_order_and_types(http, fake):
    png, jpeg = _reference((1, 2, 3)), _reference((4, 5, 6), "JPEG", "image/jpeg")
    webp = _reference((7, 8, 9), "WEBP", "image/webp")
    await provider(http, fake).generate(spec(reference_images=(png, jpeg, webp)))
    assert fake[0].state.requests[0].body["contents"][0]["parts"] == [
        {"text": "a lighthouse at dusk"},
        _inline(png),
        _inline(jpeg, "image/jpeg"),
        _inline(webp, "image/webp"),
    ]


async def test_a_reference_over_7_mb_is_re_encoded_to_fit_inline(http, fake):
    large = _noise(1600)  # about 7.7 MB as PNG: over the 7 MB an inline image may have
    assert len(large.data) > 7_000_000
    result = await provider(http, fake).generate(spec(reference_images=(large,)))
    assert len(result.images) == 1  # the fake, like Gemini, refuses inline images over 7 MB
    (part,) = fake[0].state.requests[0].body["contents"][0]["parts"][1:]
    assert part["inlineData"]["mimeType"] == "image/jpeg"
    assert len(base64.b64decode(part["inlineData"]["data"])) <= 7_000_000


async def test_references_share_the_request_budget(http, fake, monkeypatch):
    monkeypatch.setattr(google, "INLINE_BUDGET_CHARS", 600_000)  # a small stand-in for 100 MB
    references = (_noise(300),) * 3  # about 270 KB each as PNG: 360 K chars as base64
    await provider(http, fake).generate(spec(reference_images=references))
    parts = fake[0].state.requests[0].body["contents"][0]["parts"][1:]
    assert len(parts) == 3
    assert all(len(p["inlineData"]["data"]) <= 200_000 for p in parts)


async def test_more_references_than_the_model_takes_are_not_this_routes(http, fake):
    with pytest.raises(RouteUnsupported, match="14"):
        await provider(http, fake).generate(spec(reference_images=(_reference(),) * 15))
    with pytest.raises(RouteUnsupported, match="3"):
        await provider(http, fake).generate(
            spec(model="gemini-2.5-flash-image", reference_images=(_reference(),) * 4)
        )
    assert fake[0].state.requests == []  # nothing sent


async def test_an_unreadable_reference_is_permanent_before_any_call(http, fake):
    broken = SourceImage(b"<html>gone</html>", "image/png", "http://127.0.0.1:9/x", 1, 1)
    with pytest.raises(ProviderPermanent):
        await provider(http, fake).generate(spec(reference_images=(_reference(), broken)))
    assert fake[0].state.requests == []


async def test_without_references_the_request_has_the_text_part_only(http, fake):
    await provider(http, fake).generate(spec(reference_images=()))
    assert fake[0].state.requests[0].body["contents"] == [
        {"role": "user", "parts": [{"text": "a lighthouse at dusk"}]}
    ]
