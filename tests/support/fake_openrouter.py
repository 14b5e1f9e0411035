"""A loopback fake of OpenRouter's chat completions with image output
(``POST /api/v1/chat/completions``).

It checks ``Authorization: Bearer <key>`` (401 otherwise), requires ``modalities`` to
include ``"image"`` and a known ``image_config.aspect_ratio``, records every request, and
answers one PNG per call (sized like the aspect ratio, e.g. 16x9 px) with
``usage.cost`` 0.04.

Models are those of ``OUTPUT_MODALITIES`` (their ``architecture.output_modalities`` in
OpenRouter's model list): any other id gets 400 "<id> is not a valid model ID", and
asking a model for a modality it lacks (``["image", "text"]`` of an image-only model
such as ``openai/gpt-image-2``) gets 404 "No endpoints found that support the requested
output modalities", as OpenRouter answers (sources: openrouter.ai image-generation guide,
"modalities"; its errors page for the envelope; issue threads quoting the 404 body).
Markers in the user message choose other behaviour:

    [two]         two images per call           [text-only]  text, no image
    [refuse]      403 with moderation metadata  [filtered]   finish_reason content_filter
    [402]         402 insufficient credits      [429]        429 with retry-after: 7
    [500] [502]   that status                   [body-502]   HTTP 200 with an error object
    [body-refuse] HTTP 200 with a 403 moderation error object
    [notimage]    a data URL of plain text      [huge]       a data URL over 25 MB
"""

from __future__ import annotations

import base64
import itertools

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.support.fake_openai import RecordedRequest, bearer_ok, png_bytes, record

ASPECT_RATIOS = {"1:1", "2:3", "3:2", "3:4", "4:3", "4:5", "5:4", "9:16", "16:9", "21:9"}
COST_USD = 0.04
# Model id → its output modalities, as OpenRouter's model list reports them.
OUTPUT_MODALITIES: dict[str, frozenset[str]] = {
    "google/gemini-3.1-flash-image": frozenset({"image", "text"}),
    "google/gemini-3-pro-image": frozenset({"image", "text"}),
    "google/gemini-2.5-flash-image": frozenset({"image", "text"}),
    "openai/gpt-image-2": frozenset({"image"}),
    "bytedance-seed/seedream-4.5": frozenset({"image"}),
    "black-forest-labs/flux.2-pro": frozenset({"image"}),
}
NO_ENDPOINTS = "No endpoints found that support the requested output modalities: {}"
MODERATION = {
    "reasons": ["sexual/minors", "violence"],
    "flagged_input": "a …[refuse]…",
    "provider_name": "OpenAI",
    "model_slug": "openai/gpt-image-2",
}


def _error(status: int, message: str, metadata: dict | None = None, **headers: str) -> Response:
    error: dict = {"code": status, "message": message}
    if metadata is not None:
        error["metadata"] = metadata
    return JSONResponse({"error": error}, status_code=status, headers=headers)


def _data_url(data: bytes) -> dict:
    url = "data:image/png;base64," + base64.b64encode(data).decode()
    return {"type": "image_url", "image_url": {"url": url}}


async def _completions(request: Request) -> Response:
    app: FakeOpenRouter = request.app
    body = await record(request)
    if not bearer_ok(request, app.api_key):
        return _error(401, "No auth credentials found")
    try:
        prompt = next(m["content"] for m in body["messages"] if m["role"] == "user")
        ratio = body.get("image_config", {}).get("aspect_ratio", "1:1")
        modalities, model = body["modalities"], body["model"]
        ok = (
            isinstance(modalities, list)
            and all(isinstance(m, str) for m in modalities)
            and "image" in modalities
            and ratio in ASPECT_RATIOS
            and isinstance(model, str)
            and bool(model)
        )
    except (KeyError, TypeError, StopIteration):
        ok = False
    if not ok:
        return _error(400, "Invalid request: model, messages, modalities or image_config")
    supported = OUTPUT_MODALITIES.get(body["model"])
    if supported is None:
        return _error(400, f"{body['model']} is not a valid model ID")
    if not set(body["modalities"]) <= supported:
        return _error(404, NO_ENDPOINTS.format(", ".join(body["modalities"])))
    if "[refuse]" in prompt:
        return _error(403, "openai/gpt-image-2 requires moderation on OpenAI", MODERATION)
    if "[402]" in prompt:
        metadata = {"limit_source": "openrouter_credits"}
        return _error(
            402, "Insufficient credits. Add more using https://openrouter.ai/credits", metadata
        )
    if "[429]" in prompt:
        return _error(429, "Rate limit exceeded", None, **{"retry-after": "7"})
    for status in (500, 502):
        if f"[{status}]" in prompt:
            return _error(status, "Provider returned error")
    gen_id = f"gen-{next(app.ids)}"
    if "[body-502]" in prompt:
        return JSONResponse({"id": gen_id, "error": {"code": 502, "message": "Upstream error"}})
    if "[body-refuse]" in prompt:
        error = {"code": 403, "message": "Output was flagged", "metadata": MODERATION}
        return JSONResponse({"id": gen_id, "error": error})
    width, height = (int(x) for x in ratio.split(":"))
    message: dict = {"role": "assistant", "content": "Here is your image."}
    finish_reason = "stop"
    if "[text-only]" in prompt:
        message["content"] = "I can describe that picture, but here is only text."
    elif "[filtered]" in prompt:
        message["content"], finish_reason = None, "content_filter"
    elif "[notimage]" in prompt:
        message["images"] = [_data_url(b"this is not an image")]
    elif "[huge]" in prompt:
        huge = "data:image/png;base64," + "A" * (34 * 1024 * 1024)
        message["images"] = [{"type": "image_url", "image_url": {"url": huge}}]
    else:
        per_call = 2 if "[two]" in prompt else 1
        message["images"] = [_data_url(png_bytes(width, height)) for _ in range(per_call)]
    answer = {
        "id": gen_id,
        "object": "chat.completion",
        "model": body["model"],
        "choices": [{"index": 0, "message": message, "finish_reason": finish_reason}],
        "usage": {
            "prompt_tokens": 12,
            "completion_tokens": 1290,
            "total_tokens": 1302,
            "cost": COST_USD,
        },
    }
    return JSONResponse(answer)


class FakeOpenRouter(Starlette):
    """``requests`` lists what arrived, oldest first."""

    def __init__(self, api_key: str = "sk-or-v1-test") -> None:
        super().__init__(routes=[Route("/api/v1/chat/completions", _completions, methods=["POST"])])
        self.api_key = api_key
        self.requests: list[RecordedRequest] = []
        self.ids = itertools.count(1)
