"""The OpenAI Images fake refuses what the real API refuses, in OpenAI's error shape
``{"error": {"message", "type", "param", "code"}}``, and OpenAIProvider's own requests
pass it. One case per rule our client relies on, each naming its source:

- "SDK": openai/openai-python ``types/image_generate_params.py`` (``n`` 1-10, GPT-image
  sizes 1024x1024 / 1536x1024 / 1024x1536 / auto, ``response_format`` for DALL·E only:
  GPT-image always answers ``b64_json``);
- "errors guide": platform.openai.com/docs/guides/error-codes (401 for a missing or
  wrong key, code ``invalid_api_key``; a model that does not exist: ``model_not_found``);
- "deprecations": OpenAI's deprecations page (dall-e-2/-3 shut down 2026-05-12);
- "reference": the project's checked provider notes, §1.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from core.errors import ProviderPermanent
from core.providers.base import GenerationSpec
from core.providers.openai import OpenAIProvider
from tests.support.fake_openai import FakeOpenAI
from tests.support.servers import serve_asgi

KEY = "sk-test-openai"
GOOD = {"model": "gpt-image-2", "prompt": "a red fox", "n": 1, "size": "1024x1024"}


@pytest.fixture
async def fake() -> AsyncIterator[tuple[FakeOpenAI, str, httpx.AsyncClient]]:
    app = FakeOpenAI(api_key=KEY)
    async with serve_asgi(app) as url, httpx.AsyncClient(timeout=30) as http:
        yield app, f"{url}/v1", http


async def _post(fake, body: dict, headers: dict | None = None) -> httpx.Response:
    _, base, http = fake
    headers = {"Authorization": f"Bearer {KEY}"} if headers is None else headers
    return await http.post(f"{base}/images/generations", json=body, headers=headers)


def _error(response: httpx.Response, status: int, **expected) -> dict:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert set(error) == {"message", "type", "param", "code"} and error["message"]
    for key, value in expected.items():
        assert error[key] == value, error
    return error


async def test_the_clients_own_request_passes_and_gets_base64(fake):
    app, base, http = fake
    provider = OpenAIProvider(http, api_key=KEY, base_url=base)
    spec = GenerationSpec("a fox", None, "gpt-image-2", "3:2", 1536, 1024, None, 2)
    result = await provider.generate(spec)
    assert len(result.images) == 2
    assert "response_format" not in app.requests[0].json  # SDK: GPT-image takes none


@pytest.mark.parametrize(
    "headers", [{}, {"Authorization": "Bearer sk-wrong"}, {"Authorization": KEY}]
)
async def test_missing_or_wrong_key_is_401_invalid_api_key(fake, headers):
    # errors guide: 401 "Incorrect API key provided", code invalid_api_key
    _error(await _post(fake, GOOD, headers), 401, code="invalid_api_key")


@pytest.mark.parametrize("model", ["gpt-imagine-9", "dall-e-3", "dall-e-2"])
async def test_an_unknown_or_retired_model_is_model_not_found(fake, model):
    # errors guide (model_not_found); deprecations: DALL·E is gone
    _error(await _post(fake, {**GOOD, "model": model}), 404, code="model_not_found")


@pytest.mark.parametrize("size", ["1792x1024", "512x512", "16:9", "2048x2048"])
async def test_a_size_gpt_image_does_not_offer_is_400(fake, size):
    # SDK: size Literal["auto", "1024x1024", "1536x1024", "1024x1536", ...DALL·E sizes]
    _error(await _post(fake, {**GOOD, "size": size}), 400, param="size")


@pytest.mark.parametrize("n", [0, 11, "2"])
async def test_n_outside_1_to_10_is_400(fake, n):
    # SDK: "n: Must be between 1 and 10."
    _error(await _post(fake, {**GOOD, "n": n}), 400, param="n")


@pytest.mark.parametrize("response_format", ["url", "b64_json"])
async def test_response_format_is_refused_for_gpt_image(fake, response_format):
    # SDK: "response_format ... only supported for dall-e-2 and dall-e-3";
    # GPT-image models always return base64-encoded images
    body = {**GOOD, "response_format": response_format}
    _error(await _post(fake, body), 400, param="response_format")


async def test_a_missing_prompt_is_400(fake):
    # SDK: prompt is Required
    _error(await _post(fake, {"model": "gpt-image-2"}), 400, param="prompt")


async def test_the_client_treats_a_refused_request_as_permanent(fake):
    _, base, http = fake
    provider = OpenAIProvider(http, api_key=KEY, base_url=base)
    spec = GenerationSpec("a fox", None, "dall-e-3", "1:1", 1024, 1024, None, 1)
    with pytest.raises(ProviderPermanent, match="404"):
        await provider.generate(spec)
