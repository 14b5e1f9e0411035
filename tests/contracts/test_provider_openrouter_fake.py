"""The OpenRouter fake refuses what OpenRouter refuses, in OpenRouter's error shape, and
answers in the shape our client reads.

Sources: "guide" is openrouter.ai's image-generation guide (``modalities``: ``["image"]``
for image-only models, ``["image", "text"]`` for models that emit both; images in
``choices[0].message.images[].image_url.url``), "errors" its errors page (envelope
``{"error": {"code", "message", "metadata"?}}``, 400/401/402/403/429), "model list"
``GET /api/v1/models`` (``architecture.output_modalities``), "threads" public issue
threads quoting the 404 body (e.g. zed-industries/zed #36094, bobrware/bobrchat #60),
"image inputs" openrouter.ai/docs/features/multimodal/images (``content`` as an array of
``text`` and ``image_url`` parts, the url "either a URL or a base64-encoded image", the
number of images "varies per provider and per model"), "upstream limits" the services
behind each model id (OpenAI image edits 16: openai-python ``image_edit_params``; Gemini
3.x 14: Google Cloud model pages; Seedream 4.5 14: BytePlus/Replicate schemas). The
wording of the image-input refusals is the fake's own (unconfirmed); status and
envelope are OpenRouter's 400.
"""

from __future__ import annotations

import base64

import httpx
import pytest

from tests.support.fake_openai import png_bytes
from tests.support.fake_openrouter import (
    MAX_IMAGES,
    NO_ENDPOINTS,
    OUTPUT_MODALITIES,
    FakeOpenRouter,
)
from tests.support.servers import serve_asgi

KEY = "sk-or-v1-test"
GEMINI, GPT_IMAGE = "google/gemini-3.1-flash-image", "openai/gpt-image-2"


@pytest.fixture
async def post():
    async with serve_asgi(FakeOpenRouter(api_key=KEY)) as url, httpx.AsyncClient() as http:

        async def call(body: dict, *, auth: str | None = f"Bearer {KEY}") -> httpx.Response:
            headers = {"Authorization": auth} if auth else {}
            return await http.post(f"{url}/api/v1/chat/completions", json=body, headers=headers)

        yield call


def body(model: str = GEMINI, modalities=("image", "text"), prompt: str = "a fox") -> dict:
    return {
        "model": model,
        "messages": [{"role": "user", "content": prompt}],
        "modalities": list(modalities),
        "image_config": {"aspect_ratio": "1:1"},
        "stream": False,
    }


def error_of(response: httpx.Response, status: int) -> dict:
    """errors: the envelope, with the HTTP status repeated as ``error.code``."""
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == status and isinstance(error["message"], str)
    return error


async def test_a_valid_request_gets_a_data_url_image(post):  # guide
    answer = (await post(body())).json()
    (image,) = answer["choices"][0]["message"]["images"]
    assert image["type"] == "image_url"
    url = image["image_url"]["url"]
    assert url.startswith("data:image/png;base64,")
    assert base64.b64decode(url.partition(",")[2]).startswith(b"\x89PNG")


@pytest.mark.parametrize("auth", [None, "Key sk-or-v1-test", "Bearer wrong"])
async def test_missing_or_wrong_auth_is_401(post, auth):  # errors: 401 bad key
    error_of(await post(body(), auth=auth), 401)


async def test_an_unknown_model_is_400(post):  # errors: 400 bad params; threads
    error = error_of(await post(body("openai/no-such-model", ("image",))), 400)
    assert "is not a valid model ID" in error["message"]


async def test_an_image_only_model_asked_for_text_too_is_404(post):  # guide; threads
    error = error_of(await post(body(GPT_IMAGE, ("image", "text"))), 404)
    assert error["message"] == NO_ENDPOINTS.format("image, text")
    assert error["message"].startswith(
        "No endpoints found that support the requested output modalities"
    )


@pytest.mark.parametrize("model", sorted(OUTPUT_MODALITIES))
async def test_each_model_serves_exactly_its_output_modalities(post, model):  # model list
    answer = await post(body(model, sorted(OUTPUT_MODALITIES[model])))
    assert answer.status_code == 200, answer.text


async def test_insufficient_credits_is_402_with_its_limit_source(post):  # errors: 402
    error = error_of(await post(body(prompt="[402] a fox")), 402)
    assert error["metadata"]["limit_source"] == "openrouter_credits"


async def test_moderation_is_403_with_reasons(post):  # errors: 403 moderation metadata
    error = error_of(await post(body(prompt="[refuse] a fox")), 403)
    assert {"reasons", "flagged_input"} <= error["metadata"].keys()


async def test_rate_limit_is_429_with_retry_after(post):  # errors: 429, Retry-After
    response = await post(body(prompt="[429] a fox"))
    error_of(response, 429)
    assert response.headers["retry-after"] == "7"


async def test_an_error_after_generation_started_is_a_200_with_an_error(post):  # errors
    response = await post(body(prompt="[body-502] a fox"))
    assert response.status_code == 200
    assert response.json()["error"]["code"] == 502


# -- image inputs --------------------------------------------------------------------------

DATA_URL = "data:image/png;base64," + base64.b64encode(png_bytes()).decode()


def with_images(model: str, modalities, *urls: str) -> dict:
    request = body(model, modalities)
    parts = [{"type": "image_url", "image_url": {"url": url}} for url in urls]
    request["messages"] = [{"role": "user", "content": [{"type": "text", "text": "a fox"}, *parts]}]
    return request


@pytest.mark.parametrize("url", [DATA_URL, "https://example.com/fox.png"])
async def test_text_and_image_parts_pass(post, url):  # image inputs
    answer = await post(with_images(GEMINI, ("image", "text"), url))
    assert answer.status_code == 200, answer.text
    assert answer.json()["choices"][0]["message"]["images"]


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://example.com/fox.png",
        "/media/fox.png",
        base64.b64encode(png_bytes()).decode(),  # bare base64, not a data URL
        "data:text/plain;base64,aGVsbG8=",
        "data:image/png;base64,not*base64!",
    ],
)
async def test_an_image_url_that_is_not_http_or_a_base64_image_is_400(post, url):
    # image inputs: a URL or a base64-encoded image
    error_of(await post(with_images(GEMINI, ("image", "text"), url)), 400)


async def test_a_content_part_of_another_type_is_400(post):  # image inputs: text, image_url
    request = body()
    request["messages"][0]["content"] = [{"type": "input_image", "image_url": DATA_URL}]
    error_of(await post(request), 400)


@pytest.mark.parametrize("model", sorted(MAX_IMAGES))
async def test_more_images_than_the_upstream_takes_are_400(post, model):  # upstream limits
    modalities = sorted(OUTPUT_MODALITIES[model])
    limit = MAX_IMAGES[model]
    ok = await post(with_images(model, modalities, *[DATA_URL] * limit))
    assert ok.status_code == 200, ok.text
    error_of(await post(with_images(model, modalities, *[DATA_URL] * (limit + 1))), 400)
