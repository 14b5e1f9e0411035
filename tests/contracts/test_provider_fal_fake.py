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
  960x960..4096x4096 pixels, ``seed``; the output carries the ``seed`` used), and of the
  Seedream ``…/edit`` endpoints (fal.ai/models/fal-ai/bytedance/seedream/v4.5/edit/api and
  its llms.txt: ``image_urls`` required, "up to 10 image inputs ... if over 10 images are
  sent, only the last 10 will be used"; ``image_size``, ``num_images``, ``seed`` as on
  text-to-image);
- "errors" also lists the typed input errors (``file_download_error``,
  ``image_load_error``) a runner reports for an input file.
"""

from __future__ import annotations

import io
from collections.abc import AsyncIterator

import httpx
import pytest
from PIL import Image

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


# -- the Seedream edit endpoints: image_urls ----------------------------------------------

EDIT = "fal-ai/bytedance/seedream/v4.5/edit"
EDIT_GOOD = {**GOOD, "image_size": {"width": 2048, "height": 2048}}


def _png(colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 32), colour).save(out, "PNG")
    return out.getvalue()


async def _run(fake, body: dict, *, model: str = EDIT) -> httpx.Response:
    """Submit, poll to COMPLETED, fetch the result (where the runner's errors show)."""
    _, _, http = fake
    submitted = await _submit(fake, body, model=model)
    assert submitted.status_code == 200, submitted.text
    headers = {"Authorization": f"Key {KEY}"}
    for _ in range(3):
        await http.get(submitted.json()["status_url"], headers=headers)
    return await http.get(submitted.json()["response_url"], headers=headers)


async def test_an_edit_draws_from_its_image_urls_with_image_size_and_seed(fake):
    # schema: image_urls (list of URLs) with image_size, num_images, seed as on text-to-image
    app, url, http = fake
    app.refs["a.png"] = _png((200, 30, 40))
    body = {**EDIT_GOOD, "image_urls": [f"{url}/refs/a.png"], "seed": 5}
    result = (await _run(fake, body)).json()
    assert result["seed"] == 5 and result["images"][0]["width"] == 2048
    image = await http.get(result["images"][0]["url"])
    with Image.open(io.BytesIO(image.content)) as img:
        assert img.convert("RGB").getpixel((0, 0)) == (200, 30, 40)
    assert app.fetched == [f"{url}/refs/a.png"]


@pytest.mark.parametrize(
    ("urls", "type_"),
    [(None, "missing"), ([], "too_short"), ("http://x/a.png", "list_type"), ([7], "list_type")],
)
async def test_an_edit_without_a_list_of_image_urls_is_422(fake, urls, type_):
    # schema: image_urls is a required list of URL strings
    body = EDIT_GOOD if urls is None else {**EDIT_GOOD, "image_urls": urls}
    answer = await _submit(fake, body, model=EDIT)
    _unprocessable(answer, "image_urls")
    assert answer.json()["detail"][0]["type"] == type_


async def test_over_10_image_urls_only_the_last_10_are_used(fake):
    # schema: "If over 10 images are sent, only the last 10 will be used" (not a 422)
    app, url, _ = fake
    app.refs["a.png"] = _png((1, 2, 3))
    urls = [f"{url}/refs/a.png?n={n}" for n in range(12)]
    assert (await _run(fake, {**EDIT_GOOD, "image_urls": urls})).status_code == 200
    (job,) = app.jobs.values()
    assert job["used_image_urls"] == urls[2:] and app.fetched == urls[2:]


@pytest.mark.parametrize(
    ("name", "type_"), [("gone.png", "file_download_error"), ("junk.png", "image_load_error")]
)
async def test_an_image_url_the_runner_cannot_use_is_a_422_naming_it(fake, name, type_):
    # errors: typed 422 at the result, loc naming the list entry
    app, url, _ = fake
    app.refs["a.png"], app.refs["junk.png"] = _png((1, 2, 3)), b"<html>not an image</html>"
    urls = [f"{url}/refs/a.png", f"{url}/refs/{name}"]
    answer = await _run(fake, {**EDIT_GOOD, "image_urls": urls})
    assert answer.status_code == 422
    [item] = answer.json()["detail"]
    assert (item["loc"], item["type"]) == (["body", "image_urls", 1], type_) and item["msg"]


async def test_a_text_to_image_endpoint_refuses_image_urls(fake):
    # stricter than fal is known to be (see the fake): it must not drop images silently
    answer = await _submit(fake, {**GOOD, "image_urls": ["http://127.0.0.1:9/a.png"]})
    _unprocessable(answer, "image_urls")
    assert answer.json()["detail"][0]["type"] == "extra_forbidden"
