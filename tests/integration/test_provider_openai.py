"""OpenAIProvider against the loopback OpenAI Images fake, over real HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest

from core.errors import ProviderPermanent, ProviderRateLimited, ProviderRefused, ProviderTransient
from core.providers.base import GenerationSpec
from core.providers.openai import OpenAIProvider
from tests.support.fake_openai import MODERATION_MESSAGE, FakeOpenAI
from tests.support.servers import serve_asgi

MODEL = "gpt-image-2"
KEY = "sk-test-openai"


@dataclass
class Stand:
    fake: FakeOpenAI
    provider: OpenAIProvider
    base_url: str
    http: httpx.AsyncClient


@pytest.fixture
async def stand() -> AsyncIterator[Stand]:
    fake = FakeOpenAI(api_key=KEY)
    async with serve_asgi(fake) as url, httpx.AsyncClient(timeout=30) as http:
        provider = OpenAIProvider(http, api_key=KEY, base_url=f"{url}/v1")
        yield Stand(fake, provider, url, http)


def spec(prompt: str = "a red fox", *, w: int = 1024, h: int = 1024, **changes) -> GenerationSpec:
    values = dict(
        prompt=prompt, negative_prompt=None, model=MODEL, aspect_ratio="1:1",
        width=w, height=h, seed=None, image_count=1,
    )  # fmt: skip
    values.update(changes)
    return GenerationSpec(**values)


async def test_success_sends_the_documented_request_and_returns_every_image(stand: Stand):
    result = await stand.provider.generate(
        spec("a red fox", w=1344, h=768, negative_prompt="text, watermark", image_count=3, seed=42)
    )

    assert len(result.images) == 3
    assert {(i.mime, i.width, i.height) for i in result.images} == {("image/png", 24, 16)}
    assert result.provider_job_id == "req_1"
    [sent] = stand.fake.requests
    assert (sent.method, sent.path) == ("POST", "/v1/images/generations")
    assert sent.headers["authorization"] == f"Bearer {KEY}"
    assert sent.json == {
        "model": MODEL,
        "prompt": "a red fox\n\nAvoid: text, watermark",
        "n": 3,
        "size": "1536x1024",
    }  # no seed, no negative_prompt field, no DALL·E-only response_format


@pytest.mark.parametrize(
    ("w", "h", "size"),
    [(768, 1344, "1024x1536"), (1024, 1024, "1024x1024"), (1088, 960, "1024x1024")],
)
async def test_size_is_the_closest_gpt_image_size(stand: Stand, w: int, h: int, size: str):
    await stand.provider.generate(spec(w=w, h=h))
    assert stand.fake.requests[-1].json["size"] == size


async def test_url_answers_are_downloaded(stand: Stand):
    result = await stand.provider.generate(spec("a fox [url]", image_count=2))
    assert [(i.width, i.height) for i in result.images] == [(16, 16), (16, 16)]
    assert [r.path for r in stand.fake.requests[1:]] == ["/files/1024x1024.png"] * 2


@pytest.mark.parametrize(
    ("marker", "message"),
    [
        ("[refuse]", MODERATION_MESSAGE[:200]),
        ("[refuse-dalle]", "Your request was rejected as a result of our safety system."),
    ],
)
async def test_moderation_is_a_refusal_with_the_apis_reason(stand: Stand, marker, message):
    with pytest.raises(ProviderRefused) as caught:
        await stand.provider.generate(spec(f"something {marker}"))
    assert caught.value.reason == message
    assert len(caught.value.reason) <= 200


async def test_429_is_rate_limited_with_retry_after(stand: Stand):
    with pytest.raises(ProviderRateLimited) as caught:
        await stand.provider.generate(spec("a fox [429]"))
    assert caught.value.retry_after_s == 7


async def test_429_without_retry_after_uses_the_reset_header(stand: Stand):
    with pytest.raises(ProviderRateLimited) as caught:
        await stand.provider.generate(spec("a fox [429-reset]"))
    assert caught.value.retry_after_s == 360


async def test_exhausted_quota_is_permanent_not_a_rate_limit(stand: Stand):
    with pytest.raises(ProviderPermanent, match="quota"):
        await stand.provider.generate(spec("a fox [quota]"))


@pytest.mark.parametrize("marker", ["[500]", "[503-html]"])
async def test_server_errors_are_transient(stand: Stand, marker: str):
    with pytest.raises(ProviderTransient):
        await stand.provider.generate(spec(f"a fox {marker}"))


async def test_wrong_key_is_permanent(stand: Stand):
    provider = OpenAIProvider(stand.http, api_key="sk-wrong", base_url=f"{stand.base_url}/v1")
    with pytest.raises(ProviderPermanent, match="401"):
        await provider.generate(spec())


async def test_the_fake_rejects_any_other_auth_scheme(stand: Stand):
    body = {"model": MODEL, "prompt": "a fox"}
    for header in (f"Key {KEY}", KEY, f"bearer {KEY}"):
        response = await stand.http.post(
            f"{stand.base_url}/v1/images/generations", json=body, headers={"Authorization": header}
        )
        assert response.status_code == 401


@pytest.mark.parametrize(
    ("marker", "reason"), [("[notimage]", "not an image"), ("[huge-url]", "larger")]
)
async def test_bad_or_oversized_payloads_are_permanent(stand: Stand, marker: str, reason: str):
    with pytest.raises(ProviderPermanent, match=reason):
        await stand.provider.generate(spec(f"a fox {marker}"))


async def test_fewer_images_than_asked_is_permanent(stand: Stand):
    with pytest.raises(ProviderPermanent, match="1 of 2"):
        await stand.provider.generate(spec("a fox [few]", image_count=2))


async def test_unreachable_service_is_transient(stand: Stand):
    async with serve_asgi(FakeOpenAI()) as gone_url:
        pass  # the server has stopped: its port now refuses connections
    provider = OpenAIProvider(stand.http, api_key=KEY, base_url=f"{gone_url}/v1")
    with pytest.raises(ProviderTransient, match="unreachable"):
        await provider.generate(spec())
