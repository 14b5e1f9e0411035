"""A loopback fake of Fireworks' FLUX ``text_to_image`` workflow endpoint.

``POST /inference/v1/workflows/accounts/{account}/models/{model}/text_to_image`` answers
raw image bytes when ``Accept: image/*`` (with a ``Finish-Reason`` header) and JSON
``{"id", "base64": [data URI], "finishReason", "seed"}`` otherwise. The image is a real
PNG (or JPEG) shaped like the requested aspect ratio, 16 px per ratio unit.

The safety check is opt-in, as documented: ``[refuse]`` (unsafe content) is filtered
only when the body carries ``"safety_check": true`` (finish reason ``CONTENT_FILTERED``,
a black image); without it the unsafe image comes back with ``SUCCESS``, drawn in red.
A non-boolean ``safety_check`` or an aspect ratio outside the documented options → 400;
a model other than the FLUX [schnell]/[dev] FP8 workflows → 404 (source:
docs.fireworks.ai "Generate an image with FLUX.1 [schnell] FP8": the request body, the
``finishReason`` enum "SUCCESS unless safety_check=true and the image response was
filtered"; error envelope as Fireworks' other APIs, unconfirmed for images).

Prompt markers: ``[refuse]`` → (with the safety check) ``CONTENT_FILTERED``,
``[error]`` → finish reason ``ERROR``, ``[429]`` → 429 with ``retry-after: 3``,
``[500]`` → 500, ``[garbage]`` → a 200 whose "image" is not one. A missing or wrong
``Authorization: Bearer`` gets 401. Every request is recorded on ``app.state.requests``.
"""

from __future__ import annotations

import base64
import io
import uuid
from dataclasses import dataclass

from PIL import Image
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

API_KEY = "fw-test-key"
RETRY_AFTER_S = 3
PATH = "/inference/v1/workflows/accounts/{account}/models/{model}/text_to_image"
MODELS = frozenset({"flux-1-schnell-fp8", "flux-1-dev-fp8"})
ASPECT_RATIOS = frozenset(
    {"1:1", "21:9", "16:9", "3:2", "5:4", "4:5", "2:3", "9:16", "9:21", "4:3", "3:4"}
)
UNSAFE_COLOUR = (220, 20, 20)


@dataclass(frozen=True)
class RecordedRequest:
    path: str
    headers: dict[str, str]
    body: dict


def image_bytes(width: int, height: int, *, colour=(40, 120, 200), fmt: str = "PNG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, format=fmt)
    return out.getvalue()


def _error(status: int, message: str, *, headers: dict[str, str] | None = None) -> JSONResponse:
    body = {"error": {"object": "error", "type": "invalid_request_error", "message": message}}
    return JSONResponse(body, status_code=status, headers=headers)


def make_app(*, api_key: str = API_KEY) -> Starlette:
    async def text_to_image(request: Request) -> Response:
        try:
            body = await request.json()
        except ValueError:
            return _error(400, "body is not JSON")
        app.state.requests.append(RecordedRequest(request.url.path, dict(request.headers), body))
        if request.headers.get("authorization") != f"Bearer {api_key}":
            return _error(401, "The API key you provided is invalid.")
        if request.path_params["model"] not in MODELS:
            return _error(404, "Model not found, inaccessible, and/or not deployed")
        safety_check = body.get("safety_check", False)
        if not isinstance(safety_check, bool):
            return _error(400, "safety_check must be a boolean")
        if str(body.get("aspect_ratio", "1:1")) not in ASPECT_RATIOS:
            return _error(400, "aspect_ratio is not one of the supported options")
        prompt = str(body.get("prompt", ""))
        if "[429]" in prompt:
            return _error(429, "rate limit exceeded", headers={"retry-after": str(RETRY_AFTER_S)})
        if "[500]" in prompt:
            return _error(500, "internal server error")
        ratio_w, ratio_h = (int(x) for x in str(body.get("aspect_ratio", "1:1")).split(":"))
        accept = request.headers.get("accept", "")
        fmt = "JPEG" if accept == "image/jpeg" else "PNG"
        unsafe = "[refuse]" in prompt
        refused = unsafe and safety_check
        finish = "CONTENT_FILTERED" if refused else "ERROR" if "[error]" in prompt else "SUCCESS"
        colour = (0, 0, 0) if refused else UNSAFE_COLOUR if unsafe else (40, 120, 200)
        data = image_bytes(ratio_w * 16, ratio_h * 16, colour=colour, fmt=fmt)
        if "[garbage]" in prompt:
            data = b"<html>not an image</html>"
        seed = body.get("seed") or 1234567890
        if accept.startswith("image/"):
            headers = {"finish-reason": finish, "seed": str(seed)}
            return Response(data, media_type=accept, headers=headers)
        uri = f"data:image/{fmt.lower()};base64,{base64.b64encode(data).decode()}"
        return JSONResponse(
            {"id": uuid.uuid4().hex, "base64": [uri], "finishReason": finish, "seed": seed}
        )

    app = Starlette(routes=[Route(PATH, text_to_image, methods=["POST"])])
    app.state.requests = []
    return app
