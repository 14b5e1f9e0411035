"""FalProvider against the loopback fal queue fake, over real HTTP."""

from __future__ import annotations

import asyncio
import dataclasses
import io
from collections.abc import AsyncIterator

import pytest
from PIL import Image

from core.catalog import load_catalog
from core.errors import (
    ProviderPermanent,
    ProviderRateLimited,
    ProviderRefused,
    ProviderTransient,
    RouteUnsupported,
)
from core.providers.base import GenerationSpec, SourceImage
from core.providers.common import fold_negative_prompt
from core.providers.fal import FalProvider
from core.providers.registry import ProviderConfig, build_providers
from tests.support.fake_fal import FakeFal
from tests.support.provider_harness import FakeTime
from tests.support.servers import serve_asgi

KEY = "fal_test_key"
FLUX = "fal-ai/flux/schnell"
SEEDREAM = "fal-ai/bytedance/seedream/v4/text-to-image"


def spec(prompt: str = "a red fox", **changes) -> GenerationSpec:
    values = dict(
        prompt=prompt,
        negative_prompt=None,
        model=FLUX,
        aspect_ratio="1:1",
        width=64,
        height=64,
        seed=None,
        image_count=1,
    )
    values.update(changes)
    return GenerationSpec(**values)


@pytest.fixture
def fake() -> FakeFal:
    return FakeFal(key=KEY)


@pytest.fixture
async def base_url(fake: FakeFal) -> AsyncIterator[str]:
    async with serve_asgi(fake) as url:
        yield url


@pytest.fixture
def timer() -> FakeTime:
    return FakeTime()


@pytest.fixture
def provider(http, base_url, timer) -> FalProvider:
    return make(http, base_url, timer)


def make(http, base_url, timer, *, api_key: str = KEY, **kwargs) -> FalProvider:
    return FalProvider(
        http,
        api_key=api_key,
        base_url=base_url,
        sync_url="http://127.0.0.1:9",
        sleep=timer.sleep,
        clock=timer.clock,
        **kwargs,
    )


async def test_success_through_the_queue_flow(provider, fake, timer) -> None:
    request = spec(
        "a red fox",
        negative_prompt="blurry",
        aspect_ratio="16:9",
        width=96,
        height=54,
        seed=7,
        image_count=2,
    )
    result = await provider.generate(request)

    assert [(i.mime, i.width, i.height) for i in result.images] == [("image/png", 96, 54)] * 2
    (submit,) = fake.calls("POST")
    assert submit.path == f"/{FLUX}"
    assert submit.headers["authorization"] == f"Key {KEY}"
    assert submit.body == {
        "prompt": fold_negative_prompt("a red fox", "blurry"),
        "num_images": 2,
        "enable_safety_checker": True,
        "image_size": {"width": 96, "height": 54},
        "seed": 7,
    }
    (rid,) = fake.jobs
    assert result.provider_job_id == rid
    # status and result URLs came from the submit response: owner/app only, no sub-path
    statuses = fake.calls("GET", "/status")
    assert [s.path for s in statuses] == [f"/fal-ai/flux/requests/{rid}/status"] * 3
    assert [r.path for r in fake.calls("GET", rid)] == [f"/fal-ai/flux/requests/{rid}"]
    assert timer.sleeps == [0.5, 0.75]  # IN_QUEUE, IN_PROGRESS, then COMPLETED
    downloads = fake.calls("GET", ".png")
    assert len(downloads) == 2
    assert all("authorization" not in d.headers for d in downloads)  # key stays home
    assert fake.calls("PUT") == []


async def test_seedream_sub_path_is_dropped_from_the_queue_urls(provider, fake) -> None:
    # Seedream's schema wants 960x960..4096x4096 pixels in all
    result = await provider.generate(spec("a castle", model=SEEDREAM, width=1024, height=960))

    assert result.images[0].width == 1024
    (rid,) = fake.jobs
    assert fake.calls("POST")[0].path == f"/{SEEDREAM}"
    assert fake.calls("GET", "/status")[0].path == f"/fal-ai/bytedance/requests/{rid}/status"


async def test_aspect_ratio_models_get_aspect_ratio(provider, fake) -> None:
    await provider.generate(spec("a dune", model="fal-ai/flux-pro/v1.1-ultra", aspect_ratio="21:9"))

    body = fake.calls("POST")[0].body
    assert body["aspect_ratio"] == "21:9"
    assert "image_size" not in body


async def test_data_uri_images_are_decoded(provider, fake) -> None:
    result = await provider.generate(spec("x [datauri]", image_count=2))

    assert len(result.images) == 2
    assert fake.calls("GET", ".png") == []


async def test_content_policy_violation_is_a_refusal(provider) -> None:
    with pytest.raises(ProviderRefused) as caught:
        await provider.generate(spec("x [refuse]"))
    assert caught.value.reason == "The content was flagged by a content checker. (sexual)"


async def test_all_images_flagged_is_a_refusal(provider) -> None:
    with pytest.raises(ProviderRefused):
        await provider.generate(spec("x [nsfw]", image_count=2))


async def test_a_flagged_image_is_withheld_and_refused(provider) -> None:
    with pytest.raises(ProviderRefused) as caught:
        await provider.generate(spec("x [partial]", image_count=2))
    assert "1 of 2" in caught.value.reason


async def test_429_is_rate_limited_with_retry_after(provider) -> None:
    with pytest.raises(ProviderRateLimited) as caught:
        await provider.generate(spec("x [429]"))
    assert caught.value.retry_after_s == 7


async def test_500_is_transient(provider) -> None:
    with pytest.raises(ProviderTransient):
        await provider.generate(spec("x [500]"))


async def test_poll_deadline_cancels_and_is_transient(http, base_url, fake, timer) -> None:
    provider = make(http, base_url, timer, poll_timeout_s=10.0)
    with pytest.raises(ProviderTransient):
        await provider.generate(spec("x [slow]"))

    assert sum(timer.sleeps) == pytest.approx(10.0)
    assert max(timer.sleeps) <= 2.0
    (rid,) = fake.jobs
    (cancel,) = fake.calls("PUT")
    assert cancel.path == f"/fal-ai/flux/requests/{rid}/cancel"
    assert cancel.headers["authorization"] == f"Key {KEY}"
    assert fake.jobs[rid]["canceled"]
    assert fake.calls("GET", rid) == []  # the result was never fetched


async def test_outer_cancellation_cancels_the_request(http, base_url, fake) -> None:
    sleeping = asyncio.Event()

    async def sleep_forever(seconds: float) -> None:
        sleeping.set()
        await asyncio.Event().wait()

    provider = FalProvider(
        http, api_key=KEY, base_url=base_url, sync_url="http://127.0.0.1:9", sleep=sleep_forever
    )
    task = asyncio.create_task(provider.generate(spec("x [slow]")))
    await sleeping.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    (job,) = fake.jobs.values()
    assert job["canceled"]


async def test_wrong_key_is_permanent(http, base_url, timer) -> None:
    provider = make(http, base_url, timer, api_key="fal_wrong")
    with pytest.raises(ProviderPermanent) as caught:
        await provider.generate(spec())
    assert "401" in caught.value.reason


async def test_output_that_is_not_an_image_is_permanent(provider) -> None:
    with pytest.raises(ProviderPermanent):
        await provider.generate(spec("x [junk]"))


async def test_registry_builds_it_with_the_sync_host(http, base_url) -> None:
    config = ProviderConfig(KEY, f"{base_url}/", {"sync_url": "http://127.0.0.1:9/"})
    providers = build_providers(http, {"fal": config})
    fal = providers["fal"]
    assert isinstance(fal, FalProvider)
    assert (fal.name, fal.sync_url) == ("fal", "http://127.0.0.1:9")


# -- reference images: the route's edit endpoint, with our signed links ------------------

EDIT = "fal-ai/bytedance/seedream/v4.5/edit"


def _png(colour: tuple[int, int, int], size: tuple[int, int] = (64, 64)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


def _reference(fake: FakeFal, base_url: str, name: str, colour) -> SourceImage:
    """A reference published at a signed link the fake's runner can fetch."""
    fake.refs[name] = _png(colour)
    url = f"{base_url}/refs/{name}?exp=1&sig=x"
    return SourceImage(fake.refs[name], "image/png", url, 64, 64)


def _colour(image) -> tuple[int, int, int]:
    with Image.open(io.BytesIO(image.data)) as img:
        return img.convert("RGB").getpixel((0, 0))


async def test_one_reference_goes_as_image_urls_to_the_edit_endpoint(
    provider, fake, base_url
) -> None:
    """A variation: one reference, sent as our signed link; the fake's runner fetched it
    and drew from it. The edit endpoint keeps image_size, num_images and the seed."""
    source = _reference(fake, base_url, "a.png", (200, 30, 40))
    request = spec("a castle", model=EDIT, width=2048, height=2048, seed=3, image_count=2)
    result = await provider.generate(dataclasses.replace(request, reference_images=(source,)))

    (submit,) = fake.calls("POST")
    assert submit.path == f"/{EDIT}"
    assert submit.body["image_urls"] == [source.url]
    assert submit.body["image_size"] == {"width": 2048, "height": 2048}
    assert (submit.body["num_images"], submit.body["seed"]) == (2, 3)
    assert fake.fetched == [source.url]
    assert [_colour(i) for i in result.images] == [(200, 30, 40)] * 2


async def test_several_references_go_in_order(provider, fake, base_url) -> None:
    sources = tuple(
        _reference(fake, base_url, f"r{n}.png", colour)
        for n, colour in enumerate([(200, 0, 0), (0, 200, 0), (0, 0, 200)])
    )
    request = spec("a collage", model=EDIT, width=2048, height=2048)
    result = await provider.generate(dataclasses.replace(request, reference_images=sources))

    assert fake.calls("POST")[0].body["image_urls"] == [s.url for s in sources]
    assert fake.fetched == [s.url for s in sources]
    assert _colour(result.images[0]) == (67, 67, 67)  # drawn from all three


async def test_more_references_than_the_edit_endpoint_takes_are_refused_unsent(
    provider, fake, base_url
) -> None:
    """fal would quietly use only the last 10; the provider refuses instead."""
    sources = tuple(_reference(fake, base_url, f"r{n}.png", (n, n, n)) for n in range(11))
    request = spec("a collage", model=EDIT, width=2048, height=2048)
    with pytest.raises(RouteUnsupported) as caught:
        await provider.generate(dataclasses.replace(request, reference_images=sources))
    assert "at most 10" in caught.value.reason
    assert fake.requests == []


async def test_references_on_a_text_to_image_endpoint_are_refused_unsent(
    provider, fake, base_url
) -> None:
    source = _reference(fake, base_url, "a.png", (1, 2, 3))
    with pytest.raises(RouteUnsupported):
        await provider.generate(spec("a fox", reference_images=(source,)))  # FLUX schnell
    assert fake.requests == []


async def test_a_reference_fal_cannot_download_lets_the_next_route_try(
    provider, fake, base_url
) -> None:
    """Our link unreachable from fal (local storage behind a firewall): not a refusal of
    the prompt, and a route taking images inline (Ark) may serve."""
    gone = SourceImage(_png((1, 2, 3)), "image/png", f"{base_url}/refs/gone.png", 64, 64)
    request = spec("a castle", model=EDIT, width=2048, height=2048, reference_images=(gone,))
    with pytest.raises(RouteUnsupported) as caught:
        await provider.generate(request)
    assert "could not download" in caught.value.reason


async def test_a_reference_fal_cannot_decode_is_permanent(provider, fake, base_url) -> None:
    fake.refs["junk.png"] = b"<html>not an image</html>"
    junk = SourceImage(_png((1, 2, 3)), "image/png", f"{base_url}/refs/junk.png", 64, 64)
    request = spec("a castle", model=EDIT, width=2048, height=2048, reference_images=(junk,))
    with pytest.raises(ProviderPermanent) as caught:
        await provider.generate(request)
    assert not isinstance(caught.value, RouteUnsupported) and "422" in caught.value.reason


@pytest.mark.parametrize("with_references", [False, True])
async def test_the_shipped_seedream_uses_the_edit_endpoint_only_with_references(
    provider, fake, base_url, with_references
) -> None:
    """The shipped catalogue's fal route for Seedream: text-to-image without references,
    its edit endpoint with them (what the worker's route failover sends as spec.model)."""
    seedream = load_catalog().models["seedream"]
    (route,) = [r for r in seedream.routes if r.startswith("fal:")]
    references = (_reference(fake, base_url, "a.png", (9, 99, 199)),) if with_references else ()
    model = seedream.provider_model(route, with_references=bool(references))
    request = spec("a castle", model=model, width=2048, height=2048, reference_images=references)
    await provider.generate(request)

    (submit,) = fake.calls("POST")
    if with_references:
        assert submit.path == f"/{EDIT}" and len(submit.body["image_urls"]) == 1
    else:
        assert submit.path == "/fal-ai/bytedance/seedream/v4.5/text-to-image"
        assert "image_urls" not in submit.body
