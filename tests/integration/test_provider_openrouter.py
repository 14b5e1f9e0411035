"""OpenRouterProvider against the loopback OpenRouter fake, over real HTTP."""

from __future__ import annotations

import base64
import io
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
from PIL import Image

from core.errors import (
    ProviderPermanent,
    ProviderRateLimited,
    ProviderRefused,
    ProviderTransient,
    RouteUnsupported,
)
from core.providers.base import GenerationSpec, SourceImage
from core.providers.openrouter import OpenRouterProvider
from tests.support.fake_openrouter import COST_USD, FakeOpenRouter
from tests.support.servers import serve_asgi

MODEL = "google/gemini-3.1-flash-image"
KEY = "sk-or-v1-test"


@dataclass
class Stand:
    fake: FakeOpenRouter
    provider: OpenRouterProvider
    base_url: str
    http: httpx.AsyncClient


@pytest.fixture
async def stand() -> AsyncIterator[Stand]:
    fake = FakeOpenRouter(api_key=KEY)
    async with serve_asgi(fake) as url, httpx.AsyncClient(timeout=30) as http:
        provider = OpenRouterProvider(http, api_key=KEY, base_url=f"{url}/api/v1")
        yield Stand(fake, provider, f"{url}/api/v1", http)


def spec(prompt: str = "a red fox", **changes) -> GenerationSpec:
    values = dict(
        prompt=prompt, negative_prompt=None, model=MODEL, aspect_ratio="1:1",
        width=1024, height=1024, seed=None, image_count=1,
    )  # fmt: skip
    values.update(changes)
    return GenerationSpec(**values)


async def test_success_calls_until_the_count_is_reached(stand: Stand):
    result = await stand.provider.generate(
        spec(
            negative_prompt="blur",
            aspect_ratio="16:9",
            width=1344,
            height=768,
            image_count=3,
            output_modalities=("image", "text"),  # the catalogue's, for Gemini
        )
    )

    assert [(i.mime, i.width, i.height) for i in result.images] == [("image/png", 16, 9)] * 3
    assert result.provider_job_id == "gen-1,gen-2,gen-3"
    assert result.cost_usd == pytest.approx(3 * COST_USD)
    assert len(stand.fake.requests) == 3
    sent = stand.fake.requests[0]
    assert (sent.method, sent.path) == ("POST", "/api/v1/chat/completions")
    assert sent.headers["authorization"] == f"Bearer {KEY}"
    assert sent.json == {
        "model": MODEL,
        "messages": [{"role": "user", "content": "a red fox\n\nAvoid: blur"}],
        "modalities": ["image", "text"],
        "image_config": {"aspect_ratio": "16:9"},
        "stream": False,
    }


async def test_extra_images_in_one_call_are_used_and_trimmed(stand: Stand):
    result = await stand.provider.generate(spec("a fox [two]", image_count=3))
    assert len(result.images) == 3
    assert len(stand.fake.requests) == 2


async def test_an_unlisted_ratio_goes_as_the_closest_supported_one(stand: Stand):
    await stand.provider.generate(spec(aspect_ratio="7:4", width=1344, height=768))
    assert stand.fake.requests[0].json["image_config"] == {"aspect_ratio": "16:9"}


async def test_image_only_models_ask_for_images_only(stand: Stand):
    await stand.provider.generate(spec(model="bytedance-seed/seedream-4.5"))
    assert stand.fake.requests[0].json["modalities"] == ["image"]


async def test_gpt_image_is_asked_for_images_only(stand: Stand):
    """Issue 14, defect 7: ``["image", "text"]`` to an image-only model is a 404 on
    every call ("No endpoints found that support the requested output modalities")."""
    result = await stand.provider.generate(spec(model="openai/gpt-image-2"))
    assert len(result.images) == 1
    assert stand.fake.requests[0].json["modalities"] == ["image"]


@pytest.mark.parametrize(
    ("model", "modalities"),
    [("openai/gpt-image-2", ("image", "text")), ("openai/no-such-model", ("image",))],
    ids=["modality-404", "unknown-model-400"],
)
async def test_a_route_the_service_cannot_serve_is_marked_for_failover(
    stand: Stand, model: str, modalities: tuple[str, ...]
):
    with pytest.raises(ProviderPermanent) as caught:
        await stand.provider.generate(spec(model=model, output_modalities=modalities))
    assert caught.value.code == "route_unsupported"
    assert len(stand.fake.requests) == 1  # not called again for the missing images


@pytest.mark.parametrize("marker", ["[refuse]", "[body-refuse]"])
async def test_moderation_is_a_refusal_with_the_apis_reasons(stand: Stand, marker: str):
    with pytest.raises(ProviderRefused) as caught:
        await stand.provider.generate(spec(f"a fox {marker}"))
    assert "sexual/minors, violence" in caught.value.reason


async def test_content_filter_without_an_image_is_a_refusal(stand: Stand):
    with pytest.raises(ProviderRefused):
        await stand.provider.generate(spec("a fox [filtered]"))
    assert len(stand.fake.requests) == 1


async def test_no_credits_is_permanent(stand: Stand):
    with pytest.raises(ProviderPermanent, match="credits"):
        await stand.provider.generate(spec("a fox [402]"))


async def test_429_is_rate_limited_with_retry_after(stand: Stand):
    with pytest.raises(ProviderRateLimited) as caught:
        await stand.provider.generate(spec("a fox [429]"))
    assert caught.value.retry_after_s == 7


@pytest.mark.parametrize("marker", ["[500]", "[502]", "[body-502]"])
async def test_upstream_failures_are_transient(stand: Stand, marker: str):
    with pytest.raises(ProviderTransient):
        await stand.provider.generate(spec(f"a fox {marker}"))


async def test_wrong_key_is_permanent(stand: Stand):
    provider = OpenRouterProvider(stand.http, api_key="sk-or-v1-wrong", base_url=stand.base_url)
    with pytest.raises(ProviderPermanent, match="401"):
        await provider.generate(spec())


async def test_the_fake_rejects_any_other_auth_scheme(stand: Stand):
    body = {"model": MODEL, "messages": [{"role": "user", "content": "x"}], "modalities": ["image"]}
    for header in (f"Key {KEY}", KEY):
        response = await stand.http.post(
            f"{stand.base_url}/chat/completions", json=body, headers={"Authorization": header}
        )
        assert response.status_code == 401


@pytest.mark.parametrize(
    ("marker", "reason"), [("[notimage]", "not an image"), ("[huge]", "larger")]
)
async def test_bad_or_oversized_images_are_permanent(stand: Stand, marker: str, reason: str):
    with pytest.raises(ProviderPermanent, match=reason):
        await stand.provider.generate(spec(f"a fox {marker}"))


async def test_text_only_answers_stop_after_a_bounded_number_of_calls(stand: Stand):
    with pytest.raises(ProviderPermanent, match="0 of 2"):
        await stand.provider.generate(spec("a fox [text-only]", image_count=2))
    assert len(stand.fake.requests) == 4  # image_count + 2


# -- reference images: image_url parts with data URLs ----------------------------------------


def _reference(colour=(200, 30, 40), fmt: str = "PNG", mime: str = "image/png"):
    out = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(out, format=fmt)
    return SourceImage(out.getvalue(), mime, "http://127.0.0.1:9/never-fetched", 40, 30)


def _image_part(reference: SourceImage, mime: str = "image/png") -> dict:
    url = f"data:{mime};base64," + base64.b64encode(reference.data).decode()
    return {"type": "image_url", "image_url": {"url": url}}


async def test_one_reference_makes_the_content_text_then_an_image(stand: Stand):
    reference = _reference()
    result = await stand.provider.generate(
        spec("make it blue", image_count=2, reference_images=(reference,))
    )
    assert len(result.images) == 2
    for sent in stand.fake.requests:
        assert sent.json["messages"] == [
            {
                "role": "user",
                "content": [{"type": "text", "text": "make it blue"}, _image_part(reference)],
            }
        ]


@pytest.mark.parametrize("model", ["openai/gpt-image-2", "bytedance-seed/seedream-4.5", MODEL])
async def test_several_references_go_in_order_as_data_urls(stand: Stand, model: str):
    png, jpeg = _reference((1, 2, 3)), _reference((4, 5, 6), "JPEG", "image/jpeg")
    webp = _reference((7, 8, 9), "WEBP", "image/webp")
    await stand.provider.generate(spec("mix", model=model, reference_images=(png, jpeg, webp)))
    content = stand.fake.requests[0].json["messages"][0]["content"]
    assert content == [
        {"type": "text", "text": "mix"},
        _image_part(png),
        _image_part(jpeg, "image/jpeg"),
        _image_part(webp, "image/webp"),
    ]  # the signed link is never sent


@pytest.mark.parametrize(
    ("model", "limit"),
    [("openai/gpt-image-2", 16), (MODEL, 14), ("bytedance-seed/seedream-4.5", 14)],
)
async def test_each_model_takes_its_upstream_limit_and_no_more(stand: Stand, model, limit):
    references = (_reference(),) * limit
    await stand.provider.generate(spec(model=model, reference_images=references))
    assert len(stand.fake.requests[0].json["messages"][0]["content"]) == 1 + limit
    with pytest.raises(RouteUnsupported, match=str(limit)):
        await stand.provider.generate(
            spec(model=model, reference_images=(*references, references[0]))
        )
    assert len(stand.fake.requests) == 1  # nothing sent


async def test_a_model_not_known_to_take_images_is_not_this_routes(stand: Stand):
    with pytest.raises(RouteUnsupported):
        await stand.provider.generate(
            spec(model="black-forest-labs/flux.2-pro", reference_images=(_reference(),))
        )
    assert stand.fake.requests == []


async def test_an_unreadable_reference_is_permanent_before_any_call(stand: Stand):
    broken = SourceImage(b"<html>gone</html>", "image/png", "http://127.0.0.1:9/x", 1, 1)
    with pytest.raises(ProviderPermanent):
        await stand.provider.generate(spec(reference_images=(broken,)))
    assert stand.fake.requests == []


async def test_without_references_the_content_stays_a_string(stand: Stand):
    await stand.provider.generate(spec("a fox", reference_images=()))
    assert stand.fake.requests[0].json["messages"] == [{"role": "user", "content": "a fox"}]


async def test_markers_in_the_text_part_still_steer_the_fake(stand: Stand):
    with pytest.raises(ProviderRefused):
        await stand.provider.generate(spec("x [refuse]", reference_images=(_reference(),)))
