"""A loopback fake of BytePlus ModelArk's Seedream ``/api/v3/images/generations``.

Checks ``Authorization: Bearer`` (401 ``AuthenticationError`` otherwise), reads ``size``
as ``"WxH"`` and draws a real PNG at 1/16 of it. With ``response_format: url`` the image
is served by this same fake under ``/files/{name}`` (no auth, like a pre-signed URL);
with ``b64_json`` it is inline. Replies carry ``usage``.

Prompt markers: ``[refuse]`` → 400 ``OutputImageSensitiveContentDetected``,
``[refuse-input]`` → 400 ``InputTextSensitiveContentDetected``, ``[refuse-item]`` → 200
whose only entry carries a per-image ``error`` (as group generation reports it), ``[429]``
→ 429 ``RateLimitExceeded.EndpointRPMExceeded`` (no ``retry-after``: none is documented),
``[500]`` → 500 ``InternalServiceError``, ``[garbage]`` → an "image" that is not one.
POSTs are recorded on ``app.state.requests``, file fetches on ``app.state.downloads``.

A reference ``image`` (a URL, as Ark takes it) is fetched over HTTP like the real service
does (recorded on ``app.state.fetched``); the answer is then drawn in the reference's
average colour, so a test can tell it was used. An unreachable or non-image reference →
400 ``InvalidParameter`` on ``image``.
"""

from __future__ import annotations

import base64
import io
import time
import uuid
from dataclasses import dataclass

import httpx
from PIL import Image
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

API_KEY = "ark-test-key"


@dataclass(frozen=True)
class RecordedRequest:
    path: str
    headers: dict[str, str]
    body: dict


def png_bytes(width: int, height: int, colour: tuple[int, int, int] = (90, 200, 120)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, format="PNG")
    return out.getvalue()


async def _reference_colour(url: object) -> tuple[int, int, int] | None:
    """The average colour of the image at ``url``; None when it cannot be fetched."""
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        return None
    try:
        async with httpx.AsyncClient(timeout=10) as client:
            response = await client.get(url)
        response.raise_for_status()
        with Image.open(io.BytesIO(response.content)) as img:
            return img.convert("RGB").resize((1, 1), Image.Resampling.BOX).getpixel((0, 0))
    except (httpx.HTTPError, OSError):
        return None


def _error(status: int, code: str, message: str, *, param: str = "") -> JSONResponse:
    error = {"code": code, "message": message, "param": param, "type": "BadRequest"}
    return JSONResponse({"error": error}, status_code=status)


def make_app(*, api_key: str = API_KEY) -> Starlette:
    async def generations(request: Request) -> Response:
        try:
            body = await request.json()
        except ValueError:
            return _error(400, "InvalidParameter", "the request body is not valid JSON")
        app.state.requests.append(RecordedRequest(request.url.path, dict(request.headers), body))
        if request.headers.get("authorization") != f"Bearer {api_key}":
            message = "the API key or AK/SK in the request is missing or invalid"
            return _error(401, "AuthenticationError", message)
        prompt = str(body.get("prompt", ""))
        if "[refuse-input]" in prompt:
            return _error(400, "InputTextSensitiveContentDetected", "The request failed.")
        if "[refuse]" in prompt:
            message = "The request failed because the output image may contain sensitive info."
            return _error(400, "OutputImageSensitiveContentDetected", message)
        if "[429]" in prompt:
            return _error(429, "RateLimitExceeded.EndpointRPMExceeded", "RPM limit exceeded")
        if "[500]" in prompt:
            return _error(500, "InternalServiceError", "The service encountered an error.")
        size = str(body.get("size", "2048x2048"))
        colour = (90, 200, 120)
        if "image" in body:
            app.state.fetched.append(body["image"])
            reference = await _reference_colour(body["image"])
            if reference is None:
                return _error(400, "InvalidParameter", "image could not be read", param="image")
            colour = reference
        if "[refuse-item]" in prompt:
            blocked = {"code": "OutputImageSensitiveContentDetected", "message": "blocked"}
            entries = [{"error": blocked}]
        else:
            width, height = (int(x) for x in size.split("x"))
            data = (
                b"<html>oops</html>"
                if "[garbage]" in prompt
                else png_bytes(width // 16, height // 16, colour)
            )
            if body.get("response_format") == "b64_json":
                entries = [{"b64_json": base64.b64encode(data).decode(), "size": size}]
            else:
                name = f"{uuid.uuid4().hex}.png"
                app.state.files[name] = data
                entries = [{"url": str(request.url_for("file", name=name)), "size": size}]
        usage = {"generated_images": len(entries), "output_tokens": 16384, "total_tokens": 16384}
        return JSONResponse(
            {
                "model": body.get("model"),
                "created": int(time.time()),
                "data": entries,
                "usage": usage,
            }
        )

    async def file(request: Request) -> Response:
        name = request.path_params["name"]
        app.state.downloads.append(name)
        if name not in app.state.files:
            return Response(b"NoSuchKey", status_code=404)
        data = app.state.files[name]
        media_type = "image/png" if data.startswith(b"\x89PNG") else "text/html"
        return Response(data, media_type=media_type)

    app = Starlette(
        routes=[
            Route("/api/v3/images/generations", generations, methods=["POST"]),
            Route("/files/{name}", file, methods=["GET"], name="file"),
        ]
    )
    app.state.requests = []
    app.state.files = {}
    app.state.downloads = []
    app.state.fetched = []
    return app
