"""GeminiProvider against the loopback Gemini fake, over real HTTP."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator

import pytest
from starlette.applications import Starlette

from core.errors import ProviderPermanent, ProviderRateLimited, ProviderRefused, ProviderTransient
from core.providers.base import GenerationSpec
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
