"""A loopback fake of the Gemini API ``generateContent`` for image models.

Sources: googleapis/python-genai (``google/genai/types.py``: ``ImageConfig.aspectRatio``
values, ``Part.inlineData {mimeType, data}``, ``FinishReason``/``BlockedReason`` enums;
``errors.py``: the ``{"error": {"code", "message", "status", "details"}}`` envelope);
ai.google.dev (API overview: ``x-goog-api-key``; image generation guide; models and
deprecations pages: retired ids answer 404 ``NOT_FOUND``); the project's provider
reference §5. Contract tests: tests/contracts/test_provider_google_fake.py.

Unknown models answer 404 ``NOT_FOUND``; an ``imageConfig.aspectRatio`` outside the
documented set answers 400 ``INVALID_ARGUMENT``; without ``IMAGE`` in
``responseModalities`` an image model answers text only.

``POST /v1beta/models/{model}:generateContent`` checks ``x-goog-api-key`` (missing → 403
``PERMISSION_DENIED``; wrong → 400 ``INVALID_ARGUMENT`` with ``API_KEY_INVALID``, as the
real API answers) and replies with one ``inlineData`` PNG part after a text part, shaped
like ``imageConfig.aspectRatio`` at 16 px per ratio unit.

Prompt markers: ``[blocked]`` → 200 with ``promptFeedback.blockReason: SAFETY`` and no
candidates; ``[image-safety]`` → 200, ``finishReason: IMAGE_SAFETY``, no image;
``[refuse]`` → 200, ``finishReason: PROHIBITED_CONTENT``, no image; ``[text-only]`` → 200
with only a text part; ``[429]`` → 429 ``RESOURCE_EXHAUSTED`` with a ``RetryInfo``
``retryDelay: "7s"``; ``[500]`` → 500 ``INTERNAL``; ``[503]`` → 503 ``UNAVAILABLE``;
``[garbage]`` → an ``inlineData`` part that is not an image. Requests are recorded on
``app.state.requests``.

Image inputs (inline parts, how GeminiProvider sends reference images) are held to
Google's rules, each refusal a 400 ``INVALID_ARGUMENT`` in the envelope above:

- more images than the model takes (``MAX_IMAGES``: "Maximum images per prompt: 14" on
  Google Cloud's gemini-3-pro-image and gemini-3.1-flash-image model pages, 3 for
  gemini-2.5-flash-image; the message wording is the fake's own, unconfirmed);
- a ``mimeType`` outside image/png, image/jpeg, image/webp, image/heic, image/heif (the
  same pages' "Supported MIME types"): "Unsupported MIME type: image/gif", as quoted in
  public threads (e.g. ogkalu2/comic-translate #399);
- ``data`` that is not base64: "Invalid value at 'contents[0].parts[1].inline_data.data'
  (TYPE_BYTES), Base64 decoding failed for ..." with a ``google.rpc.BadRequest`` field
  violation (the API's protobuf JSON error, quoted in danny-avila/LibreChat #6593);
- an inline image over 7 MB (the model pages' "maximum file size per file for inline
  data"; stated for Google Cloud, assumed for the Gemini API; wording the fake's own);
- a request body over 100 MB, the Gemini API's inline payload limit since 2026-01-12
  (Google's developer blog, raised from 20 MB; "Request payload size exceeds the limit:
  N bytes." as the API words it for the old limit).
"""

from __future__ import annotations

import base64
import binascii
import io
import uuid
from dataclasses import dataclass

from PIL import Image
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

API_KEY = "gemini-test-key"
MODELS = ("gemini-3.1-flash-image", "gemini-3-pro-image", "gemini-2.5-flash-image")
ASPECT_RATIOS = ("1:1", "2:3", "3:2", "3:4", "4:3", "4:5", "5:4", "9:16", "16:9", "21:9")
RETRY_DELAY_S = 7
MAX_IMAGES = {"gemini-3.1-flash-image": 14, "gemini-3-pro-image": 14, "gemini-2.5-flash-image": 3}
INPUT_MIMES = ("image/png", "image/jpeg", "image/webp", "image/heic", "image/heif")
MAX_REQUEST_BYTES = 100 * 1000 * 1000
MAX_INLINE_IMAGE_BYTES = 7 * 1000 * 1000
_TYPE = "type.googleapis.com/google.rpc."


@dataclass(frozen=True)
class RecordedRequest:
    path: str
    model: str
    headers: dict[str, str]
    body: dict


def png_bytes(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (220, 160, 40)).save(out, format="PNG")
    return out.getvalue()


def _error(code: int, status: str, message: str, details: list | None = None) -> JSONResponse:
    error = {"code": code, "message": message, "status": status}
    if details:
        error["details"] = details
    return JSONResponse({"error": error}, status_code=code)


def _rate_limited() -> JSONResponse:
    return _error(
        429,
        "RESOURCE_EXHAUSTED",
        "You exceeded your current quota, please check your plan and billing details.",
        [
            {
                "@type": _TYPE + "QuotaFailure",
                "violations": [{"quotaMetric": "generate_content_requests", "quotaId": "PerMin"}],
            },
            {"@type": _TYPE + "RetryInfo", "retryDelay": f"{RETRY_DELAY_S}s"},
        ],
    )


def _candidate(parts: list[dict] | None, finish: str) -> dict:
    candidate: dict = {"finishReason": finish, "index": 0}
    if parts is not None:
        candidate["content"] = {"role": "model", "parts": parts}
    return candidate


def _bad_request(field: str, description: str) -> JSONResponse:
    violation = {"field": field, "description": description}
    detail = {"@type": _TYPE + "BadRequest", "fieldViolations": [violation]}
    return _error(400, "INVALID_ARGUMENT", description, [detail])


def _check_inline_images(model: str, body: dict) -> JSONResponse | None:
    """Google's refusals of image inputs; ``None`` when every inline part passes."""
    count = 0
    for c, content in enumerate(body.get("contents") or []):
        for p, part in enumerate(content.get("parts") or []):
            inline = part.get("inlineData")
            if inline is None:
                continue
            count += 1
            mime = inline.get("mimeType")
            if mime not in INPUT_MIMES:
                return _error(400, "INVALID_ARGUMENT", f"Unsupported MIME type: {mime}")
            data = inline.get("data")
            try:
                decoded = base64.b64decode(str(data), validate=True)
            except (binascii.Error, ValueError):
                field = f"contents[{c}].parts[{p}].inline_data.data"
                return _bad_request(
                    field,
                    f"Invalid value at '{field}' (TYPE_BYTES), Base64 decoding failed for "
                    f'"{str(data)[:40]}"',
                )
            if len(decoded) > MAX_INLINE_IMAGE_BYTES:
                message = f"Inline image {count} is larger than {MAX_INLINE_IMAGE_BYTES} bytes."
                return _error(400, "INVALID_ARGUMENT", message)
    limit = MAX_IMAGES.get(model, 0)
    if count > limit:
        message = f"Too many images in the request: {count}; {model} takes at most {limit}."
        return _error(400, "INVALID_ARGUMENT", message)
    return None


def make_app(*, api_key: str = API_KEY) -> Starlette:
    async def generate_content(request: Request) -> Response:
        model, _, method = request.path_params["target"].partition(":")
        if method != "generateContent":
            return _error(404, "NOT_FOUND", f"method {method!r} not found")
        payload = await request.body()
        if len(payload) > MAX_REQUEST_BYTES:
            message = f"Request payload size exceeds the limit: {MAX_REQUEST_BYTES} bytes."
            return _error(400, "INVALID_ARGUMENT", message)
        try:
            body = await request.json()
        except ValueError:
            return _error(400, "INVALID_ARGUMENT", "Invalid JSON payload received.")
        app.state.requests.append(
            RecordedRequest(request.url.path, model, dict(request.headers), body)
        )
        key = request.headers.get("x-goog-api-key")
        if not key:
            return _error(403, "PERMISSION_DENIED", "Method doesn't allow unregistered callers")
        if key != api_key:
            info = {"@type": _TYPE + "ErrorInfo", "reason": "API_KEY_INVALID"}
            return _error(400, "INVALID_ARGUMENT", "API key not valid.", [info])
        prompt = " ".join(
            str(part.get("text", ""))
            for content in body.get("contents", [])
            for part in content.get("parts", [])
        )
        if model not in MODELS:
            message = f"models/{model} is not found for API version v1beta."
            return _error(404, "NOT_FOUND", message)
        refused = _check_inline_images(model, body)
        if refused is not None:
            return refused
        generation = body.get("generationConfig") or {}
        aspect = (generation.get("imageConfig") or {}).get("aspectRatio", "1:1")
        if aspect not in ASPECT_RATIOS:
            return _error(400, "INVALID_ARGUMENT", f"Unsupported aspect ratio: {aspect}")
        if "[429]" in prompt:
            return _rate_limited()
        if "[500]" in prompt:
            return _error(500, "INTERNAL", "An internal error has occurred.")
        if "[503]" in prompt:
            return _error(503, "UNAVAILABLE", "The model is overloaded. Please try again later.")
        reply: dict = {"modelVersion": model, "responseId": uuid.uuid4().hex[:20]}
        if "[blocked]" in prompt:
            reply["promptFeedback"] = {"blockReason": "SAFETY", "safetyRatings": []}
            return JSONResponse(reply)
        if "[image-safety]" in prompt:
            reply["candidates"] = [_candidate(None, "IMAGE_SAFETY")]
        elif "[refuse]" in prompt:
            reply["candidates"] = [_candidate(None, "PROHIBITED_CONTENT")]
        elif "[text-only]" in prompt or "IMAGE" not in generation.get("responseModalities", []):
            text = {"text": "I can only describe that image, not draw it."}
            reply["candidates"] = [_candidate([text], "STOP")]
        else:
            config = body.get("generationConfig", {}).get("imageConfig", {})
            w, h = (int(x) for x in str(config.get("aspectRatio", "1:1")).split(":"))
            data = b"definitely not a png" if "[garbage]" in prompt else png_bytes(w * 16, h * 16)
            inline = {"mimeType": "image/png", "data": base64.b64encode(data).decode()}
            parts = [{"text": "Here is your picture."}, {"inlineData": inline}]
            reply["candidates"] = [_candidate(parts, "STOP")]
        reply["usageMetadata"] = {"promptTokenCount": 12, "candidatesTokenCount": 1290}
        return JSONResponse(reply)

    app = Starlette(routes=[Route("/v1beta/models/{target}", generate_content, methods=["POST"])])
    app.state.requests = []
    return app
