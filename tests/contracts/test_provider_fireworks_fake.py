"""The Fireworks fake holds to the FLUX ``text_to_image`` workflow contract our client
relies on.

Sources: "docs" is docs.fireworks.ai "Generate an image with FLUX.1 [schnell] FP8" (path,
``Authorization: Bearer``, body fields ``prompt``, ``aspect_ratio`` with its listed
options, ``seed``, ``safety_check`` (boolean, opt-in), ``Accept`` choosing raw image bytes
or JSON ``{"id", "base64": [data URI], "finishReason": SUCCESS | CONTENT_FILTERED,
"seed"}``: "finishReason is SUCCESS unless safety_check=true and the image response was
filtered"; a filtered binary answer says so in ``Finish-Reason``). "assumed": statuses
and error shape for refused requests are not documented for image endpoints; the fake
uses Fireworks' general API envelope ``{"error": {"type", "message"}}``.
"""

from __future__ import annotations

import base64
import io

import httpx
import pytest
from PIL import Image

from tests.support.fake_fireworks import API_KEY, UNSAFE_COLOUR, make_app
from tests.support.servers import serve_asgi

PATH = "/inference/v1/workflows/accounts/fireworks/models/{}/text_to_image"


@pytest.fixture
async def post():
    async with serve_asgi(make_app()) as url, httpx.AsyncClient() as http:

        async def call(
            body: dict,
            *,
            model: str = "flux-1-schnell-fp8",
            accept: str = "application/json",
            auth: str | None = f"Bearer {API_KEY}",
        ) -> httpx.Response:
            headers = {"Accept": accept} | ({"Authorization": auth} if auth else {})
            return await http.post(url + PATH.format(model), json=body, headers=headers)

        yield call


def refused(response: httpx.Response, status: int) -> None:  # assumed envelope
    assert response.status_code == status, response.text
    assert isinstance(response.json()["error"]["message"], str)


async def test_json_answer_shape(post):  # docs
    answer = (await post({"prompt": "a fox", "aspect_ratio": "16:9", "seed": 5})).json()
    assert answer["finishReason"] == "SUCCESS" and answer["seed"] == 5
    (uri,) = answer["base64"]
    assert base64.b64decode(uri.removeprefix("data:image/png;base64,")).startswith(b"\x89PNG")


async def test_binary_answer_shape(post):  # docs: Accept image/png → raw bytes
    response = await post({"prompt": "a fox"}, accept="image/png")
    assert response.content.startswith(b"\x89PNG")
    assert response.headers["finish-reason"] == "SUCCESS"


@pytest.mark.parametrize("auth", [None, "Key fw-test-key", "Bearer wrong"])
async def test_missing_or_wrong_auth_is_401(post, auth):  # docs: Bearer key; status assumed
    refused(await post({"prompt": "a fox"}, auth=auth), 401)


async def test_without_the_safety_check_unsafe_content_is_not_filtered(post):  # docs
    answer = (await post({"prompt": "[refuse] a fox"})).json()
    assert answer["finishReason"] == "SUCCESS"  # why our client must send safety_check
    png = base64.b64decode(answer["base64"][0].partition(",")[2])
    with Image.open(io.BytesIO(png)) as img:
        assert img.convert("RGB").getpixel((0, 0)) == UNSAFE_COLOUR


@pytest.mark.parametrize("accept", ["application/json", "image/png"])
async def test_with_the_safety_check_unsafe_content_is_filtered(post, accept):  # docs
    response = await post({"prompt": "[refuse] a fox", "safety_check": True}, accept=accept)
    if accept == "application/json":
        assert response.json()["finishReason"] == "CONTENT_FILTERED"
    else:
        assert response.headers["finish-reason"] == "CONTENT_FILTERED"


async def test_a_non_boolean_safety_check_is_400(post):  # docs: boolean; status assumed
    refused(await post({"prompt": "a fox", "safety_check": "yes"}), 400)


async def test_an_aspect_ratio_outside_the_options_is_400(post):  # docs; status assumed
    refused(await post({"prompt": "a fox", "aspect_ratio": "7:4"}), 400)


async def test_an_unknown_model_is_404(post):  # status assumed
    refused(await post({"prompt": "a fox"}, model="flux-no-such-model"), 404)
