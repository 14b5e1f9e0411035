"""The Replicate fake answers what Replicate answers: auth and unknown models as RFC 7807
problem details, schema validation as 422 with ``invalid_fields``, and the prediction
shapes (create, poll, terminal) ReplicateProvider reads; the provider's own requests pass
it. Sources, per rule:

- "HTTP API": replicate.com/docs/reference/http (``Authorization: Bearer``; create for an
  official model at ``/models/{owner}/{name}/predictions``; ``Prefer: wait``; poll
  ``urls.get``; statuses starting, processing, succeeded, failed, canceled, aborted; a
  model failure is a 200 poll with ``status: failed`` and an ``error`` string);
- "client": replicate/replicate-python ``exceptions.py`` (problem details ``type``,
  ``title``, ``status``, ``detail``);
- "schema": the model API pages of black-forest-labs/flux-schnell (``aspect_ratio``
  enum, ``num_outputs`` 1-4, ``seed`` integer; output a list of URIs),
  bytedance/seedream-3 (output one URI) and bytedance/seedream-4 / -4.5 (no ``seed``;
  ``image_input``, an array of URIs: "List of 1-10 images" / "List of 1-14 images", no
  maximum in the schema itself);
- "input files": replicate.com/docs/topics/predictions/input-files (files are given as
  URLs Replicate fetches, or data URIs for small files).
"""

from __future__ import annotations

import io
from collections.abc import AsyncIterator

import httpx
import pytest
from PIL import Image

from core.providers.base import GenerationSpec
from core.providers.replicate import ReplicateProvider
from tests.support.fake_replicate import FakeReplicate
from tests.support.provider_harness import FakeTime
from tests.support.servers import serve_asgi

TOKEN = "r8_test_token"
FLUX = "black-forest-labs/flux-schnell"
SEEDREAM_45 = "bytedance/seedream-4.5"
STATUSES = {"starting", "processing", "succeeded", "failed", "canceled", "aborted"}


@pytest.fixture
async def fake() -> AsyncIterator[tuple[FakeReplicate, str, httpx.AsyncClient]]:
    app = FakeReplicate(token=TOKEN)
    async with serve_asgi(app) as url, httpx.AsyncClient(timeout=30) as http:
        yield app, f"{url}/v1", http


async def _create(fake, model_input: dict, *, model: str = FLUX, auth: str | None = None):
    _, base, http = fake
    headers = {"Authorization": auth if auth is not None else f"Bearer {TOKEN}"}
    return await http.post(
        f"{base}/models/{model}/predictions", json={"input": model_input}, headers=headers
    )


def _problem(response: httpx.Response, status: int) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["status"] == status and body["title"] and body["detail"]
    return body


@pytest.mark.parametrize(("model", "seed_sent"), [(FLUX, True), ("bytedance/seedream-4.5", False)])
async def test_the_providers_requests_pass(fake, model, seed_sent):
    app, base, http = fake
    time = FakeTime()
    provider = ReplicateProvider(
        http, api_key=TOKEN, base_url=base, sleep=time.sleep, clock=time.clock
    )
    result = await provider.generate(GenerationSpec("a fox", None, model, "16:9", 1, 1, 7, 2))
    assert len(result.images) == 2
    sent = [r.body["input"] for r in app.calls("POST", "/v1/models")]
    assert all(("seed" in i) is seed_sent for i in sent)  # schema: seedream-4.5 has none


@pytest.mark.parametrize("auth", ["", "Token r8_test_token", "Bearer r8_wrong"])
async def test_a_missing_or_wrong_token_is_401_problem_details(fake, auth):
    # HTTP API: Bearer token; client: problem details
    _problem(await _create(fake, {"prompt": "a fox"}, auth=auth), 401)


async def test_an_unknown_official_model_is_404(fake):
    # HTTP API: no such model
    _problem(await _create(fake, {"prompt": "a fox"}, model="nobody/nothing"), 404)


@pytest.mark.parametrize(
    ("field", "value"),
    [("aspect_ratio", "7:5"), ("num_outputs", 5), ("num_outputs", 0), ("seed", "7")],
)
async def test_an_input_outside_the_schema_is_422_with_the_field(fake, field, value):
    # schema: aspect_ratio enum, num_outputs 1..4, seed integer
    body = _problem(await _create(fake, {"prompt": "a fox", field: value}), 422)
    assert [f["field"] for f in body["invalid_fields"]] == [f"input.{field}"]


async def test_a_prediction_is_polled_at_urls_get_until_terminal(fake):
    # HTTP API: created without Prefer: wait → starting; urls.get advances to a terminal
    _, _, http = fake
    created = (await _create(fake, {"prompt": "a fox", "num_outputs": 2})).json()
    assert created["status"] == "starting" and created["output"] is None
    statuses = []
    prediction = created
    while prediction["status"] not in ("succeeded", "failed", "canceled", "aborted"):
        answer = await http.get(
            prediction["urls"]["get"], headers={"Authorization": f"Bearer {TOKEN}"}
        )
        prediction = answer.json()
        statuses.append(prediction["status"])
    assert set(statuses) <= STATUSES and statuses[-1] == "succeeded"
    assert isinstance(prediction["output"], list) and len(prediction["output"]) == 2


async def test_seedream_3_answers_one_uri_not_a_list(fake):
    # schema: bytedance/seedream-3 output is a single URI string
    _, _, http = fake
    created = await _create(fake, {"prompt": "a fox"}, model="bytedance/seedream-3")
    headers = {"Authorization": f"Bearer {TOKEN}"}
    prediction = created.json()
    for _ in range(3):
        prediction = (await http.get(prediction["urls"]["get"], headers=headers)).json()
    assert prediction["status"] == "succeeded" and isinstance(prediction["output"], str)


async def test_a_model_failure_is_a_200_poll_with_an_error(fake):
    # HTTP API: failures are not HTTP errors; status failed + error string
    _, _, http = fake
    created = (await _create(fake, {"prompt": "x [fail]"})).json()
    headers = {"Authorization": f"Bearer {TOKEN}"}
    prediction = created
    for _ in range(3):
        answer = await http.get(prediction["urls"]["get"], headers=headers)
        assert answer.status_code == 200
        prediction = answer.json()
    assert prediction["status"] == "failed" and isinstance(prediction["error"], str)


# -- image_input (bytedance/seedream-4: 1-10 images, -4.5: 1-14) ------------------------


def _png(colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 32), colour).save(out, "PNG")
    return out.getvalue()


async def _finished(fake, model_input: dict, model: str) -> dict:
    _, _, http = fake
    created = await _create(fake, model_input, model=model)
    assert created.status_code == 201, created.text
    prediction = created.json()
    headers = {"Authorization": f"Bearer {TOKEN}"}
    while prediction["status"] not in ("succeeded", "failed", "canceled", "aborted"):
        prediction = (await http.get(prediction["urls"]["get"], headers=headers)).json()
    return prediction


async def test_image_input_is_fetched_and_drawn_from(fake):
    # schema: image_input, an array of URIs; HTTP API: file inputs fetched by URL
    app, base, http = fake
    app.refs["a.png"] = _png((200, 30, 40))
    url = f"{base.removesuffix('/v1')}/refs/a.png"
    prediction = await _finished(fake, {"prompt": "x", "image_input": [url]}, SEEDREAM_45)
    assert prediction["status"] == "succeeded" and app.fetched == [url]
    image = await http.get(prediction["output"][0])
    with Image.open(io.BytesIO(image.content)) as img:
        assert img.convert("RGB").getpixel((0, 0)) == (200, 30, 40)


@pytest.mark.parametrize(("model", "limit"), [("bytedance/seedream-4", 10), (SEEDREAM_45, 14)])
async def test_more_images_than_the_model_takes_fail_the_prediction(fake, model, limit):
    # schema: "List of 1-10 images" / "1-14" with no maxItems: not a 422, a failed run
    app, base, _ = fake
    app.refs["a.png"] = _png((1, 2, 3))
    urls = [f"{base.removesuffix('/v1')}/refs/a.png"] * (limit + 1)
    ok = await _finished(fake, {"prompt": "x", "image_input": urls[:limit]}, model)
    assert ok["status"] == "succeeded"
    over = await _finished(fake, {"prompt": "x", "image_input": urls}, model)
    assert over["status"] == "failed" and isinstance(over["error"], str)


async def test_an_image_input_it_cannot_fetch_fails_the_prediction(fake):
    # HTTP API: a failure of the run is a 200 poll with status failed and an error
    gone = "http://127.0.0.1:9/gone.png"
    prediction = await _finished(fake, {"prompt": "x", "image_input": [gone]}, SEEDREAM_45)
    assert prediction["status"] == "failed" and prediction["error"]


@pytest.mark.parametrize(
    ("model", "images"),
    [(FLUX, ["http://127.0.0.1:9/a.png"]), (SEEDREAM_45, "http://127.0.0.1:9/a.png")],
)
async def test_image_input_where_the_schema_has_none_or_not_a_list_is_422(fake, model, images):
    # schema: image_input is an array of URIs; FLUX has none (a guard: see the fake)
    body = _problem(await _create(fake, {"prompt": "x", "image_input": images}, model=model), 422)
    assert [f["field"] for f in body["invalid_fields"]] == ["input.image_input"]
