"""The OpenRouter fake refuses what OpenRouter refuses, in OpenRouter's error shape, and
answers in the shape our client reads.

Sources: "guide" is openrouter.ai's image-generation guide (``modalities``: ``["image"]``
for image-only models, ``["image", "text"]`` for models that emit both; images in
``choices[0].message.images[].image_url.url``), "errors" its errors page (envelope
``{"error": {"code", "message", "metadata"?}}``, 400/401/402/403/429), "model list"
``GET /api/v1/models`` (``architecture.output_modalities``), "threads" public issue
threads quoting the 404 body (e.g. zed-industries/zed #36094, bobrware/bobrchat #60).
"""

from __future__ import annotations

import base64

import httpx
import pytest

from tests.support.fake_openrouter import NO_ENDPOINTS, OUTPUT_MODALITIES, FakeOpenRouter
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
