"""FireworksProvider against the loopback Fireworks fake, over real HTTP."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator

import pytest
from starlette.applications import Starlette

from core.errors import ProviderPermanent, ProviderRateLimited, ProviderRefused, ProviderTransient
from core.providers.base import GenerationSpec
from core.providers.fireworks import FireworksProvider
from tests.support.fake_fireworks import API_KEY, RETRY_AFTER_S, make_app
from tests.support.servers import serve_asgi

SPEC = GenerationSpec(
    prompt="a red fox in snow",
    negative_prompt=None,
    model="flux-1-schnell-fp8",
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
        yield app, f"{base_url}/inference/v1"


def provider(http, fake, *, api_key: str = API_KEY, **options) -> FireworksProvider:
    return FireworksProvider(http, api_key=api_key, base_url=fake[1], **options)


async def test_json_answer_gives_each_image_its_own_seed(http, fake):
    result = await provider(http, fake).generate(
        spec(
            negative_prompt="blurry",
            aspect_ratio="16:9",
            width=1344,
            height=756,
            seed=7,
            image_count=2,
        )
    )
    assert [(i.mime, i.width, i.height) for i in result.images] == [("image/png", 256, 144)] * 2
    assert result.provider_job_id
    requests = fake[0].state.requests
    assert [r.body["seed"] for r in requests] == [7, 8]
    for r in requests:
        assert r.path == (
            "/inference/v1/workflows/accounts/fireworks/models/flux-1-schnell-fp8/text_to_image"
        )
        assert r.headers["authorization"] == f"Bearer {API_KEY}"
        assert r.headers["accept"] == "application/json"
        assert r.body["aspect_ratio"] == "16:9"
        assert r.body["prompt"] == "a red fox in snow\n\nAvoid: blurry"
        assert "negative_prompt" not in r.body
        assert r.body["safety_check"] is True  # opt-in on Fireworks: always asked for


@pytest.mark.parametrize("accept", ["image/png", "image/jpeg"])
async def test_binary_answer(http, fake, accept):
    result = await provider(http, fake, accept=accept).generate(spec(image_count=2))
    assert [i.mime for i in result.images] == [accept] * 2
    assert (result.images[0].width, result.images[0].height) == (16, 16)
    assert result.provider_job_id is None
    requests = fake[0].state.requests
    assert [r.headers["accept"] for r in requests] == [accept] * 2
    assert all("seed" not in r.body for r in requests)  # no seed asked: the API picks


async def test_unlisted_aspect_ratio_maps_to_the_closest_and_full_model_path_is_kept(http, fake):
    await provider(http, fake).generate(
        spec(model="accounts/fireworks/models/flux-1-dev-fp8", aspect_ratio="7:4", width=1792)
    )
    (request,) = fake[0].state.requests
    assert request.body["aspect_ratio"] == "16:9"
    assert request.path.endswith("/accounts/fireworks/models/flux-1-dev-fp8/text_to_image")


@pytest.mark.parametrize("accept", ["application/json", "image/png"])
async def test_content_filter_is_a_refusal(http, fake, accept):
    with pytest.raises(ProviderRefused) as caught:
        await provider(http, fake, accept=accept).generate(spec(prompt="[refuse] a fox"))
    assert "CONTENT_FILTERED" in caught.value.reason


async def test_unsafe_content_is_refused_because_the_safety_check_is_sent(http, fake):
    """Issue 14, defect 9: Fireworks filters only with ``safety_check: true``; without it
    the unsafe image came back as a success."""
    with pytest.raises(ProviderRefused):
        await provider(http, fake).generate(spec(prompt="[refuse] a fox"))
    assert fake[0].state.requests[0].body["safety_check"] is True


async def test_an_unknown_model_is_a_route_the_job_fails_over_from(http, fake):
    with pytest.raises(ProviderPermanent) as caught:
        await provider(http, fake).generate(spec(model="flux-no-such-model"))
    assert caught.value.code == "route_unsupported"


async def test_other_finish_reason_is_permanent(http, fake):
    with pytest.raises(ProviderPermanent) as caught:
        await provider(http, fake).generate(spec(prompt="[error] a fox"))
    assert "ERROR" in caught.value.reason


async def test_429_is_rate_limited_with_retry_after(http, fake):
    with pytest.raises(ProviderRateLimited) as caught:
        await provider(http, fake).generate(spec(prompt="[429] a fox", image_count=3))
    assert caught.value.retry_after_s == RETRY_AFTER_S
    assert len(fake[0].state.requests) == 1  # stops at the first failure


async def test_500_is_transient(http, fake):
    with pytest.raises(ProviderTransient):
        await provider(http, fake).generate(spec(prompt="[500] a fox"))


async def test_wrong_key_is_permanent(http, fake):
    with pytest.raises(ProviderPermanent) as caught:
        await provider(http, fake, api_key="wrong").generate(spec())
    assert "401" in caught.value.reason
    assert fake[0].state.requests[0].headers["authorization"] == "Bearer wrong"


@pytest.mark.parametrize("accept", ["application/json", "image/png"])
async def test_non_image_payload_is_permanent(http, fake, accept):
    with pytest.raises(ProviderPermanent):
        await provider(http, fake, accept=accept).generate(spec(prompt="[garbage] a fox"))


async def test_unreachable_service_is_transient(http):
    unused = FireworksProvider(http, api_key=API_KEY, base_url="http://127.0.0.1:9/inference/v1")
    with pytest.raises(ProviderTransient):
        await unused.generate(spec())
