"""ReplicateProvider against the loopback Replicate fake, over real HTTP."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from core.errors import (
    ProviderPermanent,
    ProviderRateLimited,
    ProviderRefused,
    ProviderTransient,
)
from core.providers.base import GenerationSpec
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
