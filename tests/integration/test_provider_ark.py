"""ArkProvider (BytePlus ModelArk Seedream) against the loopback Ark fake, over real HTTP."""

from __future__ import annotations

import base64
import dataclasses
import io
import os
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
from core.providers.ark import ArkProvider
from core.providers.base import GenerationSpec, SourceImage
from tests.support.fake_ark import API_KEY, make_app, png_bytes
from tests.support.servers import serve_asgi

SPEC = GenerationSpec(
    prompt="a paper boat on a pond",
    negative_prompt=None,
    model="seedream-4-5-251128",
    aspect_ratio="1:1",
    width=2048,
    height=2048,
    seed=None,
    image_count=1,
)


def spec(**changes) -> GenerationSpec:
    return dataclasses.replace(SPEC, **changes)


@pytest.fixture
async def fake() -> AsyncIterator[tuple[Starlette, str]]:
    app = make_app()
    async with serve_asgi(app) as base_url:
        yield app, f"{base_url}/api/v3"


def provider(http, fake, *, api_key: str = API_KEY, **options) -> ArkProvider:
    return ArkProvider(http, api_key=api_key, base_url=fake[1], **options)


async def test_seedream_4_downloads_each_image_from_its_url(http, fake):
    result = await provider(http, fake).generate(
        spec(
            negative_prompt="text",
            aspect_ratio="16:9",
            width=1920,
            height=1080,
            seed=5,
            image_count=2,
        )
    )
    assert [(i.mime, i.width, i.height) for i in result.images] == [("image/png", 160, 90)] * 2
    app = fake[0]
    assert len(app.state.requests) == 2
    assert len(app.state.downloads) == 2
    for r in app.state.requests:
        assert r.path == "/api/v3/images/generations"
        assert r.headers["authorization"] == f"Bearer {API_KEY}"
        assert r.body["model"] == "seedream-4-5-251128"
        assert r.body["size"] == "2560x1440"
        assert r.body["prompt"] == "a paper boat on a pond\n\nAvoid: text"
        assert r.body["sequential_image_generation"] == "disabled"
        assert r.body["response_format"] == "url"
        assert r.body["watermark"] is False
        assert "seed" not in r.body  # documented for the 3.0 models only


async def test_seedream_3_gets_its_sizes_and_a_seed_per_image(http, fake):
    await provider(http, fake).generate(
        spec(
            model="seedream-3-0-t2i-250415",
            aspect_ratio="9:16",
            width=720,
            height=1280,
            seed=9,
            image_count=2,
        )
    )
    requests = fake[0].state.requests
    assert [r.body["seed"] for r in requests] == [9, 10]
    assert {r.body["size"] for r in requests} == {"720x1280"}
    assert all("sequential_image_generation" not in r.body for r in requests)


async def test_b64_json_answer_needs_no_download(http, fake):
    result = await provider(http, fake, response_format="b64_json").generate(spec())
    assert [(i.width, i.height) for i in result.images] == [(128, 128)]
    assert fake[0].state.requests[0].body["response_format"] == "b64_json"
    assert fake[0].state.downloads == []


@pytest.mark.parametrize(
    ("marker", "code"),
    [
        ("[refuse]", "OutputImageSensitiveContentDetected"),
        ("[refuse-input]", "InputTextSensitiveContentDetected"),
        ("[refuse-item]", "OutputImageSensitiveContentDetected"),
    ],
)
async def test_sensitive_content_codes_are_refusals(http, fake, marker, code):
    with pytest.raises(ProviderRefused) as caught:
        await provider(http, fake).generate(spec(prompt=f"{marker} a boat"))
    assert code in caught.value.reason


async def test_429_is_rate_limited_with_the_default_wait(http, fake):
    # Ark documents no retry-after form; the shared default applies.
    with pytest.raises(ProviderRateLimited) as caught:
        await provider(http, fake).generate(spec(prompt="[429] a boat", image_count=2))
    assert caught.value.retry_after_s == 5.0
    assert "RateLimitExceeded" in caught.value.reason
    assert len(fake[0].state.requests) == 1


async def test_500_is_transient(http, fake):
    with pytest.raises(ProviderTransient):
        await provider(http, fake).generate(spec(prompt="[500] a boat"))


async def test_wrong_key_is_permanent(http, fake):
    with pytest.raises(ProviderPermanent) as caught:
        await provider(http, fake, api_key="wrong").generate(spec())
    assert "401" in caught.value.reason


@pytest.mark.parametrize("response_format", ["url", "b64_json"])
async def test_non_image_payload_is_permanent(http, fake, response_format):
    with pytest.raises(ProviderPermanent):
        await provider(http, fake, response_format=response_format).generate(
            spec(prompt="[garbage] a boat")
        )


async def test_watermark_option_from_config_text(http, fake):
    await provider(http, fake, watermark="true").generate(spec())
    assert fake[0].state.requests[0].body["watermark"] is True


# -- variations: the source image travels as Ark's reference ``image`` --------------------


def _source(fake, colour: tuple[int, int, int]) -> SourceImage:
    """A source image published at a link Ark can fetch (a pre-signed storage URL)."""
    data = png_bytes(64, 64, colour)
    fake[0].state.files["source.png"] = data
    base = fake[1].removesuffix("/api/v3")
    return SourceImage(
        data=data, mime="image/png", url=f"{base}/files/source.png", width=64, height=64
    )


async def test_variation_sends_the_source_inline_and_ark_draws_from_it(http, fake):
    """Issue 14, defect 10: Ark cannot reach a link to local storage, so the source goes
    as a Base64 data URL; the signed link is never sent."""
    source = _source(fake, (200, 30, 40))
    unreachable = dataclasses.replace(source, url="http://127.0.0.1:9/media/source.png?sig=x")
    result = await provider(http, fake).generate(
        spec(reference_images=(unreachable,), image_count=2)
    )
    requests = fake[0].state.requests
    expected = "data:image/png;base64," + base64.b64encode(source.data).decode()
    assert [r.body["image"] for r in requests] == [expected, expected]
    assert fake[0].state.fetched == []  # nothing for Ark to download
    for image in result.images:  # drawn in the source's colour, not the fake's default
        with Image.open(io.BytesIO(image.data)) as img:
            assert img.convert("RGB").getpixel((0, 0)) == (200, 30, 40)


def _noise_png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.frombytes("RGB", (width, height), os.urandom(width * height * 3)).save(out, "PNG")
    return out.getvalue()


async def test_a_source_over_ark_s_10_mb_cap_is_re_encoded_to_fit(http, fake):
    data = _noise_png(2200, 2200)  # incompressible: about 14.5 MB as PNG
    assert len(data) > 10 * 1024 * 1024
    source = SourceImage(data, "image/png", "http://127.0.0.1:9/x", 2200, 2200)
    await provider(http, fake).generate(spec(reference_images=(source,)))
    (sent,) = [r.body["image"] for r in fake[0].state.requests]
    assert len(sent) <= 10_000_000 and sent.startswith("data:image/jpeg;base64,")
    assert fake[0].state.inline == [sent]  # the fake accepted it: no 400


async def test_a_webp_source_is_sent_as_a_format_ark_takes(http, fake):
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 200, 90)).save(out, "WEBP", lossless=True)
    source = SourceImage(out.getvalue(), "image/webp", "http://127.0.0.1:9/x", 64, 48)
    await provider(http, fake).generate(spec(reference_images=(source,), aspect_ratio="4:3"))
    assert fake[0].state.requests[0].body["image"].startswith("data:image/png;base64,")


async def test_plain_generation_sends_no_reference(http, fake):
    await provider(http, fake).generate(spec())
    assert "image" not in fake[0].state.requests[0].body
    assert fake[0].state.fetched == []


async def test_a_source_that_is_not_an_image_is_refused_before_any_call(http, fake):
    source = SourceImage(b"<html>gone</html>", "image/png", "http://127.0.0.1:9/x", 64, 64)
    with pytest.raises(ProviderPermanent):
        await provider(http, fake).generate(spec(reference_images=(source,)))
    assert fake[0].state.requests == []


async def test_text_to_image_3_0_refuses_a_source_without_calling(http, fake):
    source = _source(fake, (1, 2, 3))
    with pytest.raises(ProviderPermanent):
        await provider(http, fake).generate(
            spec(
                model="seedream-3-0-t2i-250415", width=1024, height=1024, reference_images=(source,)
            )
        )
    assert fake[0].state.requests == []


# -- several reference images: an array of data URLs --------------------------------------


async def test_several_references_go_as_an_array_in_order(http, fake):
    colours = [(200, 0, 0), (0, 200, 0), (0, 0, 200)]
    sources = tuple(_source(fake, c) for c in colours)
    result = await provider(http, fake).generate(spec(reference_images=sources))
    (request,) = fake[0].state.requests
    expected = ["data:image/png;base64," + base64.b64encode(s.data).decode() for s in sources]
    assert request.body["image"] == expected
    assert fake[0].state.inline == expected and fake[0].state.fetched == []
    with Image.open(io.BytesIO(result.images[0].data)) as img:
        assert img.convert("RGB").getpixel((0, 0)) == (67, 67, 67)  # drawn from all three


async def test_fourteen_references_are_taken_fifteen_refused_unsent(http, fake):
    sources = tuple(_source(fake, (n, n, n)) for n in range(15))
    await provider(http, fake).generate(spec(reference_images=sources[:14]))
    assert len(fake[0].state.requests[0].body["image"]) == 14
    with pytest.raises(RouteUnsupported) as caught:
        await provider(http, fake).generate(spec(reference_images=sources))
    assert "at most 14" in caught.value.reason
    assert len(fake[0].state.requests) == 1  # the refused one never left


async def test_seededit_3_takes_one_reference_as_a_string(http, fake):
    sources = (_source(fake, (10, 20, 30)), _source(fake, (40, 50, 60)))
    model = "seededit-3-0-i2i-250628"
    await provider(http, fake).generate(
        spec(model=model, width=1024, height=1024, reference_images=sources[:1])
    )
    assert isinstance(fake[0].state.requests[0].body["image"], str)
    with pytest.raises(RouteUnsupported):
        await provider(http, fake).generate(
            spec(model=model, width=1024, height=1024, reference_images=sources)
        )
    assert len(fake[0].state.requests) == 1
