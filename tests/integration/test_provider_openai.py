"""OpenAIProvider against the loopback OpenAI Images fake, over real HTTP."""

from __future__ import annotations

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


# -- reference images: the image edits endpoint (multipart) ----------------------------------


def _reference(colour: tuple[int, int, int], fmt: str = "PNG", mime: str = "image/png"):
    out = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(out, format=fmt)
    return SourceImage(out.getvalue(), mime, "http://127.0.0.1:9/never-fetched", 40, 30)


async def test_one_reference_goes_to_edits_as_a_multipart_image_part(stand: Stand):
    reference = _reference((200, 30, 40))
    result = await stand.provider.generate(
        spec("make it blue", negative_prompt="text", image_count=2, reference_images=(reference,))
    )
    assert len(result.images) == 2 and result.provider_job_id == "req_1"
    [sent] = stand.fake.requests
    assert (sent.method, sent.path) == ("POST", "/v1/images/edits")
    assert sent.headers["content-type"].startswith("multipart/form-data; boundary=")
    assert sent.headers["authorization"] == f"Bearer {KEY}"
    files = sent.json.pop("image[]")
    assert sent.json == {
        "model": MODEL, "prompt": "make it blue\n\nAvoid: text", "n": "2", "size": "1024x1024"
    }  # fmt: skip
    assert files == [("image[]", "reference-1.png", "image/png", reference.data)]


async def test_several_references_are_sent_in_order_each_with_its_type(stand: Stand):
    png = _reference((1, 2, 3))
    jpeg = _reference((4, 5, 6), "JPEG", "image/jpeg")
    webp = _reference((7, 8, 9), "WEBP", "image/webp")
    await stand.provider.generate(spec("blend them", reference_images=(png, jpeg, webp)))
    files = stand.fake.requests[0].json["image[]"]
    assert [(f[0], f[2], f[3]) for f in files] == [
        ("image[]", "image/png", png.data),
        ("image[]", "image/jpeg", jpeg.data),
        ("image[]", "image/webp", webp.data),
    ]


async def test_a_reference_of_a_type_edits_refuses_is_sent_as_png(stand: Stand):
    gif = _reference((9, 9, 9), "GIF", "image/gif")
    await stand.provider.generate(spec("x", reference_images=(gif,)))
    [(_, name, mime, data)] = stand.fake.requests[0].json["image[]"]
    assert (name, mime) == ("reference-1.png", "image/png")
    assert Image.open(io.BytesIO(data)).format == "PNG"


async def test_sixteen_references_pass_and_seventeen_are_not_this_routes(stand: Stand):
    references = tuple(_reference((i, i, i)) for i in range(17))
    await stand.provider.generate(spec("x", reference_images=references[:16]))
    assert len(stand.fake.requests[0].json["image[]"]) == 16
    with pytest.raises(RouteUnsupported, match="16"):
        await stand.provider.generate(spec("x", reference_images=references))
    assert len(stand.fake.requests) == 1  # nothing sent


async def test_an_unreadable_reference_is_permanent_before_any_call(stand: Stand):
    broken = SourceImage(b"<html>gone</html>", "image/png", "http://127.0.0.1:9/x", 1, 1)
    with pytest.raises(ProviderPermanent):
        await stand.provider.generate(spec("x", reference_images=(broken,)))
    assert stand.fake.requests == []


async def test_edits_refusals_map_like_generations(stand: Stand):
    reference = _reference((1, 1, 1))
    with pytest.raises(ProviderRefused):
        await stand.provider.generate(spec("x [refuse]", reference_images=(reference,)))
    with pytest.raises(ProviderRateLimited):
        await stand.provider.generate(spec("x [429]", reference_images=(reference,)))


async def test_without_references_the_generations_request_is_unchanged(stand: Stand):
    await stand.provider.generate(spec("a fox", reference_images=()))
    [sent] = stand.fake.requests
    assert sent.path == "/v1/images/generations"
    assert sent.headers["content-type"] == "application/json"
    assert sent.json == {"model": MODEL, "prompt": "a fox", "n": 1, "size": "1024x1024"}
