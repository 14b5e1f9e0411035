"""The fal fake answers what fal's queue answers: auth, unknown apps, schema validation
(422 ``{"detail": [{"loc", "msg", "type"}]}``), the queue status shapes and the result
shape FalProvider reads; and the provider's own requests pass it. Sources, per rule:

- "client": fal-ai/fal ``fal_client/client.py`` (``Authorization: Key <key>``; status,
  response and cancel URLs built from ``{owner}/{app}`` only; IN_QUEUE/IN_PROGRESS/
  COMPLETED; error text read from ``detail``);
- "queue docs": docs.fal.ai/model-apis/model-endpoints/queue (202 while IN_QUEUE with
  ``queue_position`` or IN_PROGRESS, 200 when COMPLETED; the result at ``response_url``);
- "errors": docs.fal.ai/model-apis/errors (422 validation details; an unknown app 404);
- "schema": the OpenAPI of fal-ai/flux/schnell (``image_size`` enum or
  ``{width, height}``) and fal-ai/bytedance/seedream/v4 and v4.5 (``num_images`` 1-6,
  960x960..4096x4096 pixels, ``seed``; the output carries the ``seed`` used).
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from core.providers.base import GenerationSpec
from core.providers.fal import FalProvider
from tests.support.fake_fal import FakeFal
from tests.support.provider_harness import FakeTime
from tests.support.servers import serve_asgi

KEY = "fal_test_key"
SEEDREAM = "fal-ai/bytedance/seedream/v4.5/text-to-image"
GOOD = {"prompt": "a fox", "num_images": 1, "image_size": {"width": 1024, "height": 1024}}


@pytest.fixture
async def fake() -> AsyncIterator[tuple[FakeFal, str, httpx.AsyncClient]]:
    app = FakeFal(key=KEY)
    async with serve_asgi(app) as url, httpx.AsyncClient(timeout=30) as http:
        yield app, url, http


async def _submit(fake, body: dict, *, model: str = SEEDREAM, auth: str | None = None):
    _, url, http = fake
    headers = {"Authorization": auth if auth is not None else f"Key {KEY}"}
    return await http.post(f"{url}/{model}", json=body, headers=headers)


def _unprocessable(response: httpx.Response, field: str) -> None:
    assert response.status_code == 422, response.text
    [item] = response.json()["detail"]
    assert item["loc"] == ["body", field] and item["msg"] and item["type"]


async def test_the_providers_request_passes_and_the_used_seed_comes_back(fake):
    _, url, http = fake
    time = FakeTime()
    provider = FalProvider(http, api_key=KEY, base_url=url, sleep=time.sleep, clock=time.clock)
    spec = GenerationSpec("a fox", None, SEEDREAM, "16:9", 2752, 1536, 7, 2)
    result = await provider.generate(spec)
    assert len(result.images) == 2 and result.seed == 7  # schema: output.seed


@pytest.mark.parametrize("auth", ["", f"Bearer {KEY}", "Key wrong"])
async def test_a_missing_or_wrong_key_is_401(fake, auth):
    # client: "Authorization: Key <FAL_KEY>", the literal word Key
    answer = await _submit(fake, GOOD, auth=auth)
    assert answer.status_code == 401 and answer.json()["detail"]


async def test_an_unknown_app_is_404(fake):
    # errors: an app that does not exist
    answer = await _submit(fake, GOOD, model="fal-ai/no-such/model")
    assert answer.status_code == 404 and "not found" in answer.json()["detail"]


@pytest.mark.parametrize(
    "size", ["huge", {"width": "1024", "height": 1024}, {"width": 512, "height": 512}, 7]
)
async def test_an_image_size_outside_the_schema_is_422(fake, size):
    # schema: enum or {width, height} integers; Seedream 960x960..4096x4096 pixels
    _unprocessable(await _submit(fake, {**GOOD, "image_size": size}), "image_size")


@pytest.mark.parametrize("count", [0, 7, "2"])
async def test_num_images_outside_1_to_6_is_422_for_seedream(fake, count):
    # schema: num_images 1..6 on the Seedream endpoints
    _unprocessable(await _submit(fake, {**GOOD, "num_images": count}), "num_images")


async def test_a_seed_that_is_not_an_integer_is_422(fake):
    # schema: seed is an integer
    _unprocessable(await _submit(fake, {**GOOD, "seed": "7"}), "seed")


async def test_the_queue_status_shapes(fake):
    # queue docs + client: 202 IN_QUEUE (queue_position), 202 IN_PROGRESS, 200 COMPLETED;
    # the URLs drop the model's sub-path
    _, url, http = fake
    submitted = (await _submit(fake, GOOD)).json()
    rid = submitted["request_id"]
    assert submitted["status_url"] == f"{url}/fal-ai/bytedance/requests/{rid}/status"
    assert submitted["response_url"] == f"{url}/fal-ai/bytedance/requests/{rid}"
    headers = {"Authorization": f"Key {KEY}"}
    seen = []
    for _ in range(3):
        answer = await http.get(submitted["status_url"], headers=headers)
        seen.append((answer.status_code, answer.json()["status"]))
        if answer.json()["status"] == "IN_QUEUE":
            assert isinstance(answer.json()["queue_position"], int)
    assert seen == [(202, "IN_QUEUE"), (202, "IN_PROGRESS"), (200, "COMPLETED")]
    result = (await http.get(submitted["response_url"], headers=headers)).json()
    assert result["images"][0]["url"].startswith("http") and isinstance(result["seed"], int)


async def test_a_moderated_result_is_422_content_policy_violation(fake):
    # errors: 422, detail[].type content_policy_violation, at the result URL
    _, _, http = fake
    submitted = (await _submit(fake, {**GOOD, "prompt": "x [refuse]"})).json()
    headers = {"Authorization": f"Key {KEY}"}
    for _ in range(3):
        await http.get(submitted["status_url"], headers=headers)
    answer = await http.get(submitted["response_url"], headers=headers)
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["type"] == "content_policy_violation"
