"""A loopback fake of Fireworks' FLUX ``text_to_image`` workflow endpoint.

``POST /inference/v1/workflows/accounts/{account}/models/{model}/text_to_image`` answers
raw image bytes when ``Accept: image/*`` (with a ``Finish-Reason`` header) and JSON
``{"id", "base64": [data URI], "finishReason", "seed"}`` otherwise. The image is a real
PNG (or JPEG) shaped like the requested aspect ratio, 16 px per ratio unit.

Prompt markers: ``[refuse]`` → finish reason ``CONTENT_FILTERED`` with a black image,
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
        prompt = str(body.get("prompt", ""))
        if "[429]" in prompt:
            return _error(429, "rate limit exceeded", headers={"retry-after": str(RETRY_AFTER_S)})
        if "[500]" in prompt:
            return _error(500, "internal server error")
        ratio_w, ratio_h = (int(x) for x in str(body.get("aspect_ratio", "1:1")).split(":"))
        accept = request.headers.get("accept", "")
        fmt = "JPEG" if accept == "image/jpeg" else "PNG"
        refused = "[refuse]" in prompt
        finish = "CONTENT_FILTERED" if refused else "ERROR" if "[error]" in prompt else "SUCCESS"
        colour = (0, 0, 0) if refused else (40, 120, 200)
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
