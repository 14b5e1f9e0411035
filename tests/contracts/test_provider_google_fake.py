"""The Gemini fake refuses what the real ``generateContent`` refuses, in Google's error
shape ``{"error": {"code", "message", "status", "details"?}}``, answers images in the
shape GeminiProvider reads, and the provider's own requests pass it. Sources, per rule:

- "API overview": ai.google.dev/api (``x-goog-api-key``; a call without a key is 403
  ``PERMISSION_DENIED``, a wrong key 400 ``INVALID_ARGUMENT`` with reason
  ``API_KEY_INVALID`` - as python-genai's ``errors.APIError`` reports them);
- "models": ai.google.dev/gemini-api/docs/models and /deprecations (retired or unknown
  ids: 404 ``NOT_FOUND``; current image models gemini-3.1-flash-image, gemini-3-pro-image);
- "SDK types": googleapis/python-genai ``types.py`` (``ImageConfig.aspect_ratio`` values,
  ``Part.inline_data`` serialised as ``inlineData {mimeType, data}`` in base64,
  ``responseModalities``);
- "image guide": ai.google.dev/gemini-api/docs/image-generation (an image model answers
  an image part only when ``IMAGE`` is among ``responseModalities``; a blocked prompt is
  a 200 with ``promptFeedback.blockReason`` and no candidates; images go in as inline
  parts beside the text);
- "model pages": docs.cloud.google.com/vertex-ai/generative-ai/docs/models/gemini/
  3-pro-image, 3-1-flash-image, 2-5-flash-image ("Maximum images per prompt": 14, 14, 3;
  "Supported MIME types": image/png, image/jpeg, image/webp, image/heic, image/heif);
- "threads": Google's error bodies quoted in public issues ("Unsupported MIME type:
  image/jpg", ogkalu2/comic-translate #399; "Invalid value at
  'contents[0].parts[2].inline_data.data' (TYPE_BYTES), Base64 decoding failed",
  danny-avila/LibreChat #6593);
- "developer blog": Google's "Increased file size limits and expanded inputs support in
  Gemini API" (2026-01-12): inline payloads up to 100 MB (was 20 MB).
"""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator

import httpx
import pytest

from core.providers.base import GenerationSpec
from core.providers.google import GeminiProvider
from tests.support.fake_gemini import (
    API_KEY,
    MAX_INLINE_IMAGE_BYTES,
    MAX_REQUEST_BYTES,
    make_app,
    png_bytes,
)
from tests.support.servers import serve_asgi

MODEL = "gemini-3.1-flash-image"
GOOD = {
    "contents": [{"role": "user", "parts": [{"text": "a fox"}]}],
    "generationConfig": {"responseModalities": ["TEXT", "IMAGE"], "imageConfig": {}},
}


@pytest.fixture
async def fake() -> AsyncIterator[tuple[object, str, httpx.AsyncClient]]:
    app = make_app()
    async with serve_asgi(app) as url, httpx.AsyncClient(timeout=30) as http:
        yield app, f"{url}/v1beta", http


async def _post(fake, body: dict, *, model: str = MODEL, key: str | None = API_KEY):
    _, base, http = fake
    headers = {} if key is None else {"x-goog-api-key": key}
    return await http.post(f"{base}/models/{model}:generateContent", json=body, headers=headers)


def _error(response: httpx.Response, code: int, status: str) -> dict:
    assert response.status_code == code, response.text
    error = response.json()["error"]
    assert (error["code"], error["status"]) == (code, status) and error["message"]
    return error


async def test_the_providers_request_passes(fake):
    app, base, http = fake
    provider = GeminiProvider(http, api_key=API_KEY, base_url=base)
    result = await provider.generate(GenerationSpec("a fox", None, MODEL, "16:9", 1, 1, None, 1))
    assert len(result.images) == 1
    config = app.state.requests[0].body["generationConfig"]
    assert "IMAGE" in config["responseModalities"]  # image guide


async def test_an_image_arrives_as_base64_inline_data(fake):
    # SDK types: Part.inlineData {mimeType, data (base64)}, camelCase on the wire
    parts = (await _post(fake, GOOD)).json()["candidates"][0]["content"]["parts"]
    [inline] = [p["inlineData"] for p in parts if "inlineData" in p]
    assert inline["mimeType"] == "image/png"
    assert base64.b64decode(inline["data"]).startswith(b"\x89PNG")


async def test_without_the_image_modality_no_image_comes(fake):
    # image guide: responseModalities must include IMAGE for an image part
    body = {**GOOD, "generationConfig": {"responseModalities": ["TEXT"]}}
    parts = (await _post(fake, body)).json()["candidates"][0]["content"]["parts"]
    assert all("inlineData" not in p for p in parts)


async def test_a_missing_key_is_403_permission_denied(fake):
    # API overview: unregistered callers are PERMISSION_DENIED
    _error(await _post(fake, GOOD, key=None), 403, "PERMISSION_DENIED")


async def test_a_wrong_key_is_400_api_key_invalid(fake):
    # API overview: 400 INVALID_ARGUMENT, ErrorInfo reason API_KEY_INVALID
    error = _error(await _post(fake, GOOD, key="wrong"), 400, "INVALID_ARGUMENT")
    assert error["details"][0]["reason"] == "API_KEY_INVALID"


@pytest.mark.parametrize("model", ["imagen-4.0-generate-001", "gemini-9-image", "gpt-image-2"])
async def test_an_unknown_or_retired_model_is_404(fake, model):
    # models/deprecations: retired ids answer NOT_FOUND
    _error(await _post(fake, GOOD, model=model), 404, "NOT_FOUND")


@pytest.mark.parametrize("aspect", ["7:3", "16x9", "1:4"])
async def test_an_aspect_ratio_outside_the_documented_set_is_400(fake, aspect):
    # SDK types: ImageConfig.aspect_ratio is one of the documented ratios
    config = {**GOOD["generationConfig"], "imageConfig": {"aspectRatio": aspect}}
    _error(await _post(fake, {**GOOD, "generationConfig": config}), 400, "INVALID_ARGUMENT")


async def test_a_blocked_prompt_is_a_200_without_candidates(fake):
    # image guide / SDK types: promptFeedback.blockReason, no candidates
    body = {**GOOD, "contents": [{"role": "user", "parts": [{"text": "[blocked] x"}]}]}
    answer = await _post(fake, body)
    assert answer.status_code == 200 and "candidates" not in answer.json()
    assert answer.json()["promptFeedback"]["blockReason"] == "SAFETY"


# -- image inputs --------------------------------------------------------------------------

PNG_B64 = base64.b64encode(png_bytes(8, 8)).decode()


def _with_images(*parts: dict) -> dict:
    return {**GOOD, "contents": [{"role": "user", "parts": [{"text": "a fox"}, *parts]}]}


def _inline(mime: str = "image/png", data: str = PNG_B64) -> dict:
    return {"inlineData": {"mimeType": mime, "data": data}}


@pytest.mark.parametrize("mime", ["image/png", "image/jpeg", "image/webp", "image/heic"])
async def test_inline_images_of_a_documented_type_pass(fake, mime):
    # model pages: supported MIME types
    assert (await _post(fake, _with_images(_inline(mime)))).status_code == 200


@pytest.mark.parametrize("mime", ["image/gif", "image/jpg", "application/octet-stream"])
async def test_an_inline_image_of_another_type_is_400(fake, mime):
    # model pages; threads: "Unsupported MIME type: image/jpg"
    error = _error(await _post(fake, _with_images(_inline(mime))), 400, "INVALID_ARGUMENT")
    assert error["message"] == f"Unsupported MIME type: {mime}"


@pytest.mark.parametrize(
    "data", ["not base64!", "https://example.com/a.png", "data:image/png;base64,AAAA"]
)
async def test_inline_data_that_is_not_base64_is_400_naming_the_field(fake, data):
    # threads: TYPE_BYTES "Base64 decoding failed", a google.rpc.BadRequest field violation
    body = _with_images(_inline(), _inline(data=data))
    error = _error(await _post(fake, body), 400, "INVALID_ARGUMENT")
    field = "contents[0].parts[2].inline_data.data"
    assert error["message"].startswith(f"Invalid value at '{field}' (TYPE_BYTES), Base64")
    assert error["details"][0]["fieldViolations"][0]["field"] == field


@pytest.mark.parametrize(
    ("model", "limit"),
    [("gemini-3.1-flash-image", 14), ("gemini-3-pro-image", 14), ("gemini-2.5-flash-image", 3)],
)
async def test_more_images_than_the_model_takes_are_400(fake, model, limit):
    # model pages: maximum images per prompt
    ok = await _post(fake, _with_images(*[_inline()] * limit), model=model)
    assert ok.status_code == 200
    over = await _post(fake, _with_images(*[_inline()] * (limit + 1)), model=model)
    _error(over, 400, "INVALID_ARGUMENT")


async def test_a_request_over_100_mb_is_400(fake):
    # developer blog: inline data within a 100 MB request
    big = "A" * (MAX_REQUEST_BYTES + 1)
    error = _error(await _post(fake, _with_images(_inline(data=big))), 400, "INVALID_ARGUMENT")
    assert "payload size exceeds the limit" in error["message"]


async def test_an_inline_image_over_7_mb_is_400(fake):
    # model pages: at most 7 MB a file inline
    over = base64.b64encode(bytes(MAX_INLINE_IMAGE_BYTES + 1)).decode()
    _error(await _post(fake, _with_images(_inline(data=over))), 400, "INVALID_ARGUMENT")
