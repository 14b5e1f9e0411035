"""ReplicateProvider against the loopback Replicate fake, over real HTTP."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator

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
from core.providers.common import fold_negative_prompt
from core.providers.registry import ProviderConfig, build_providers
from core.providers.replicate import ReplicateProvider
from tests.support.fake_replicate import NSFW_ERROR, FakeReplicate
from tests.support.provider_harness import FakeTime
from tests.support.servers import serve_asgi

TOKEN = "r8_test_token"
FLUX = "black-forest-labs/flux-schnell"


def spec(prompt: str = "a red fox", **changes) -> GenerationSpec:
    values = dict(
        prompt=prompt,
        negative_prompt=None,
        model=FLUX,
        aspect_ratio="1:1",
        width=1024,
        height=1024,
        seed=None,
        image_count=1,
    )
    values.update(changes)
    return GenerationSpec(**values)


@pytest.fixture
def fake() -> FakeReplicate:
    return FakeReplicate(token=TOKEN)


@pytest.fixture
async def base_url(fake: FakeReplicate) -> AsyncIterator[str]:
    async with serve_asgi(fake) as url:
        yield url


@pytest.fixture
def timer() -> FakeTime:
    return FakeTime()


@pytest.fixture
def provider(http, base_url, timer) -> ReplicateProvider:
    return make(http, base_url, timer)


def make(http, base_url, timer, *, api_key: str = TOKEN, **kwargs) -> ReplicateProvider:
    return ReplicateProvider(
        http,
        api_key=api_key,
        base_url=f"{base_url}/v1",
        sleep=timer.sleep,
        clock=timer.clock,
        **kwargs,
    )


async def test_success_through_the_poll_flow(provider, fake, timer) -> None:
    request = spec(
        "a red fox [poll]", negative_prompt="blurry", aspect_ratio="16:9", seed=7, image_count=2
    )
    result = await provider.generate(request)

    assert [(i.mime, i.width, i.height) for i in result.images] == [("image/png", 128, 72)] * 2
    (create,) = fake.calls("POST", "/v1/models/")
    assert create.path == f"/v1/models/{FLUX}/predictions"
    assert create.headers["authorization"] == f"Bearer {TOKEN}"
    assert create.headers["prefer"] == "wait=60"
    assert create.body == {
        "input": {
            "prompt": fold_negative_prompt("a red fox [poll]", "blurry"),
            "aspect_ratio": "16:9",
            "num_outputs": 2,
            "seed": 7,
        }
    }
    (pid,) = fake.predictions
    assert result.provider_job_id == pid
    polls = fake.calls("GET", "/v1/predictions/")
    assert [p.path for p in polls] == [f"/v1/predictions/{pid}"] * 2  # processing, succeeded
    assert timer.sleeps == [0.5, 0.75]
    downloads = fake.calls("GET", "/files/")
    assert len(downloads) == 2
    assert all("authorization" not in d.headers for d in downloads)  # token stays home


async def test_prefer_wait_returns_the_finished_prediction(provider, fake, timer) -> None:
    result = await provider.generate(spec("a lighthouse"))

    assert len(result.images) == 1
    assert fake.calls("GET", "/v1/predictions/") == []
    assert timer.sleeps == []


async def test_models_without_num_outputs_run_one_prediction_per_image(provider, fake) -> None:
    request = spec("a castle [poll]", model="bytedance/seedream-4", seed=5, image_count=2)
    result = await provider.generate(request)

    assert len(result.images) == 2
    creates = fake.calls("POST", "/v1/models/bytedance/seedream-4/predictions")
    assert [c.body["input"] for c in creates] == [
        {"prompt": "a castle [poll]", "aspect_ratio": "1:1"}
    ] * 2  # no seed in the seedream-4 schema, no num_outputs
    assert sorted(result.provider_job_id.split(",")) == sorted(fake.predictions)


async def test_seeds_differ_per_prediction_and_single_uri_output(provider, fake) -> None:
    result = await provider.generate(
        spec("a bridge", model="bytedance/seedream-3", seed=10, image_count=2)
    )

    assert len(result.images) == 2
    seeds = sorted(c.body["input"]["seed"] for c in fake.calls("POST", "/v1/models/"))
    assert seeds == [10, 11]
    assert all(isinstance(p["output"], str) for p in fake.predictions.values())


async def test_version_pinned_model_uses_the_predictions_endpoint(provider, fake) -> None:
    await provider.generate(spec("a tree", model="someone/sdxl:abc123"))

    (create,) = fake.calls("POST", "/v1/predictions")
    assert create.path == "/v1/predictions"
    assert create.body["version"] == "abc123"


async def test_nsfw_failure_is_a_refusal_with_the_reason(provider) -> None:
    with pytest.raises(ProviderRefused) as caught:
        await provider.generate(spec("something [refuse] [poll]"))
    assert caught.value.reason == NSFW_ERROR


async def test_refusal_of_one_of_several_predictions_is_not_an_exception_group(
    provider,
) -> None:
    with pytest.raises(ProviderRefused):
        await provider.generate(spec("x [refuse]", model="bytedance/seedream-4", image_count=3))


async def test_other_failures_are_permanent(provider) -> None:
    with pytest.raises(ProviderPermanent) as caught:
        await provider.generate(spec("x [fail] [poll]"))
    assert "out of memory" in caught.value.reason


async def test_canceled_prediction_is_transient(provider) -> None:
    with pytest.raises(ProviderTransient):
        await provider.generate(spec("x [cancel]"))


async def test_dropped_outputs_are_a_refusal(provider) -> None:
    with pytest.raises(ProviderRefused) as caught:
        await provider.generate(spec("x [partial]", image_count=3))
    assert "1 of 3" in caught.value.reason


async def test_429_takes_retry_after_from_the_body(provider) -> None:
    with pytest.raises(ProviderRateLimited) as caught:
        await provider.generate(spec("x [429]"))
    assert caught.value.retry_after_s == 12


async def test_429_falls_back_to_the_seconds_in_detail(provider) -> None:
    with pytest.raises(ProviderRateLimited) as caught:
        await provider.generate(spec("x [429d]"))
    assert caught.value.retry_after_s == 30


async def test_500_is_transient(provider) -> None:
    with pytest.raises(ProviderTransient):
        await provider.generate(spec("x [500]"))


async def test_poll_deadline_is_transient_and_cancels(http, base_url, fake, timer) -> None:
    provider = make(http, base_url, timer, poll_timeout_s=10.0)
    with pytest.raises(ProviderTransient):
        await provider.generate(spec("x [slow]"))

    assert sum(timer.sleeps) == pytest.approx(10.0)
    assert max(timer.sleeps) <= 2.0
    (pid,) = fake.predictions
    assert [c.path for c in fake.calls("POST", "/v1/predictions/")] == [
        f"/v1/predictions/{pid}/cancel"
    ]
    assert fake.predictions[pid]["status"] == "canceled"


async def test_outer_cancellation_cancels_the_prediction(http, base_url, fake) -> None:
    sleeping = asyncio.Event()

    async def sleep_forever(seconds: float) -> None:
        sleeping.set()
        await asyncio.Event().wait()

    provider = ReplicateProvider(
        http, api_key=TOKEN, base_url=f"{base_url}/v1", sleep=sleep_forever
    )
    task = asyncio.create_task(provider.generate(spec("x [slow]")))
    await sleeping.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    (prediction,) = fake.predictions.values()
    assert prediction["status"] == "canceled"


async def test_wrong_token_is_permanent(http, base_url, timer) -> None:
    provider = make(http, base_url, timer, api_key="r8_wrong")
    with pytest.raises(ProviderPermanent) as caught:
        await provider.generate(spec())
    assert "401" in caught.value.reason


async def test_output_that_is_not_an_image_is_permanent(provider) -> None:
    with pytest.raises(ProviderPermanent):
        await provider.generate(spec("x [junk]"))


async def test_registry_builds_it(http, base_url) -> None:
    providers = build_providers(http, {"replicate": ProviderConfig(TOKEN, f"{base_url}/v1/")})
    assert isinstance(providers["replicate"], ReplicateProvider)
    assert providers["replicate"].name == "replicate"
    assert len((await providers["replicate"].generate(spec())).images) == 1


# -- reference images: image_input, our signed links ---------------------------------------

SEEDREAM_45 = "bytedance/seedream-4.5"


def _png(colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 64), colour).save(out, "PNG")
    return out.getvalue()


def _reference(fake: FakeReplicate, base_url: str, name: str, colour) -> SourceImage:
    """A reference published at a signed link Replicate can fetch."""
    fake.refs[name] = _png(colour)
    return SourceImage(fake.refs[name], "image/png", f"{base_url}/refs/{name}?sig=x", 64, 64)


def _colour(image) -> tuple[int, int, int]:
    with Image.open(io.BytesIO(image.data)) as img:
        return img.convert("RGB").getpixel((0, 0))


async def test_one_reference_goes_as_image_input_on_every_prediction(
    provider, fake, base_url
) -> None:
    """A variation: one reference, sent as our signed link; Replicate fetched it."""
    source = _reference(fake, base_url, "a.png", (200, 30, 40))
    request = spec("a castle", model=SEEDREAM_45, image_count=2, reference_images=(source,))
    result = await provider.generate(request)

    creates = fake.calls("POST", f"/v1/models/{SEEDREAM_45}/predictions")
    assert [c.body["input"]["image_input"] for c in creates] == [[source.url]] * 2
    assert fake.fetched == [source.url] * 2
    assert [_colour(i) for i in result.images] == [(200, 30, 40)] * 2


async def test_several_references_go_in_order(provider, fake, base_url) -> None:
    sources = tuple(
        _reference(fake, base_url, f"r{n}.png", colour)
        for n, colour in enumerate([(200, 0, 0), (0, 200, 0), (0, 0, 200)])
    )
    result = await provider.generate(
        spec("a collage", model="bytedance/seedream-4", reference_images=sources)
    )
    (create,) = fake.calls("POST", "/v1/models/")
    assert create.body["input"]["image_input"] == [s.url for s in sources]
    assert _colour(result.images[0]) == (67, 67, 67)  # drawn from all three


@pytest.mark.parametrize(("model", "limit"), [("bytedance/seedream-4", 10), (SEEDREAM_45, 14)])
async def test_more_references_than_the_model_takes_are_refused_unsent(
    provider, fake, base_url, model, limit
) -> None:
    sources = tuple(_reference(fake, base_url, f"r{n}.png", (n, n, n)) for n in range(limit + 1))
    await provider.generate(spec("a collage", model=model, reference_images=sources[:limit]))
    with pytest.raises(RouteUnsupported) as caught:
        await provider.generate(spec("a collage", model=model, reference_images=sources))
    assert f"at most {limit}" in caught.value.reason
    assert len(fake.calls("POST", "/v1/models/")) == 1  # only the one within the limit


async def test_references_on_flux_are_refused_unsent(provider, fake, base_url) -> None:
    source = _reference(fake, base_url, "a.png", (1, 2, 3))
    with pytest.raises(RouteUnsupported):
        await provider.generate(spec("a fox", reference_images=(source,)))
    assert fake.requests == []


async def test_a_reference_replicate_cannot_fetch_fails_the_job(provider, base_url) -> None:
    gone = SourceImage(_png((1, 2, 3)), "image/png", f"{base_url}/refs/gone.png", 64, 64)
    with pytest.raises(ProviderPermanent) as caught:
        await provider.generate(spec("a castle", model=SEEDREAM_45, reference_images=(gone,)))
    assert "failed" in caught.value.reason
