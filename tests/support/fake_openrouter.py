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

Image inputs (how OpenRouterProvider sends reference images): the user message's
``content`` may be an array of ``{"type": "text", "text"}`` and ``{"type": "image_url",
"image_url": {"url"}}`` parts, the url "either a URL or a base64-encoded image"
(openrouter.ai docs, "Image Inputs"). Refused with a 400 in the error envelope (the
message wording is the fake's own, unconfirmed): a part of another type, an image url
that is neither ``http(s)://`` nor a ``data:image/...;base64,`` URL with valid base64,
and more images than the model's upstream takes (``MAX_IMAGES``, for the models whose
upstream limit is documented; others are not checked: OpenRouter documents
"varies per provider and per model"; the limits are the upstream services' own,
GPT Image 16 as OpenAI's edits, Gemini 3.x 14 as Google's model pages, Seedream 4.5 14
as ByteDance's).
"""

from __future__ import annotations

import base64
import binascii
import itertools
import re

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
MAX_IMAGES = {
    "google/gemini-3.1-flash-image": 14,
    "google/gemini-3-pro-image": 14,
    "google/gemini-2.5-flash-image": 3,
    "openai/gpt-image-2": 16,
    "bytedance-seed/seedream-4.5": 14,
}
_DATA_URL = re.compile(r"data:image/[a-z0-9.+-]+;base64,(?P<data>.*)", re.DOTALL)
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


def _user_text_and_images(content: object) -> tuple[str, list[str]] | str:
    """``(text, image urls)`` of a user message's ``content``, or why it is refused."""
    if isinstance(content, str):
        return content, []
    if not isinstance(content, list):
        return "messages[].content must be a string or an array of content parts"
    texts, urls = [], []
    for part in content:
        kind = part.get("type") if isinstance(part, dict) else None
        if kind == "text" and isinstance(part.get("text"), str):
            texts.append(part["text"])
        elif kind == "image_url" and isinstance(part.get("image_url"), dict):
            urls.append(str(part["image_url"].get("url", "")))
        else:
            return f"Invalid content part: {str(kind)[:40]}"
    for url in urls:
        match = _DATA_URL.fullmatch(url)
        if match is None and not url.startswith(("https://", "http://")):
            return "Invalid image URL: expected an http(s) URL or a base64 data URL"
        if match is not None:
            try:
                base64.b64decode(match["data"], validate=True)
            except (binascii.Error, ValueError):
                return "Invalid image data URL: the base64 data could not be decoded"
    return " ".join(texts), urls


async def _completions(request: Request) -> Response:
    app: FakeOpenRouter = request.app
    body = await record(request)
    if not bearer_ok(request, app.api_key):
        return _error(401, "No auth credentials found")
    try:
        content = next(m["content"] for m in body["messages"] if m["role"] == "user")
        read = _user_text_and_images(content)
        if isinstance(read, str):
            return _error(400, read)
        prompt, images = read
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
    limit = MAX_IMAGES.get(body["model"])  # none documented for others: not checked
    if limit is not None and len(images) > limit:
        return _error(400, f"{body['model']} takes at most {limit} input images, got {len(images)}")
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
