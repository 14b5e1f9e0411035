"""A loopback fake of BytePlus ModelArk's Seedream ``/api/v3/images/generations``.

Checks ``Authorization: Bearer`` (401 ``AuthenticationError`` otherwise), reads ``size``
as ``"WxH"`` and draws a real PNG at 1/16 of it. With ``response_format: url`` the image
is served by this same fake under ``/files/{name}`` (no auth, like a pre-signed URL);
with ``b64_json`` it is inline. Replies carry ``usage``.

A model id that is not a Seedream/SeedEdit id or an ``ep-`` endpoint → 404
``InvalidEndpointOrModel.NotFound``.

Prompt markers: ``[refuse]`` → 400 ``OutputImageSensitiveContentDetected``,
``[refuse-input]`` → 400 ``InputTextSensitiveContentDetected``, ``[refuse-image]`` with a
reference ``image`` → 400 ``InputImageSensitiveContentDetected`` (the service's own check
of a user's image), ``[refuse-item]`` → 200
whose only entry carries a per-image ``error`` (as group generation reports it), ``[429]``
→ 429 ``RateLimitExceeded.EndpointRPMExceeded`` (no ``retry-after``: none is documented),
``[500]`` → 500 ``InternalServiceError``, ``[garbage]`` → an "image" that is not one.
POSTs are recorded on ``app.state.requests``, file fetches on ``app.state.downloads``.

A reference ``image`` is a string (one image) or an array of strings (several: Seedream
4.x/5.x take "up to 14 reference images"), each a URL Ark can reach or a Base64 data URL
``data:image/<format>;base64,<data>``. A URL is fetched over HTTP like the real service
does (recorded on ``app.state.fetched``), a data URL is decoded (recorded on
``app.state.inline``); the answer is then drawn in the references' average colour, so a
test can tell they were used. Refused with 400 ``InvalidParameter`` on ``image``: an
array of more than 14, an empty array or one with a non-string entry, an array for
SeedEdit 3.0 (one image, a string), and any ``image`` for the 3.0 text-to-image model
(text only; the exact message of these refusals is unconfirmed, the code and shape are
Ark's). What Ark documents for input images is checked, each breach
→ 400 ``InvalidParameter`` on ``image``: format jpeg or png (lowercase in the data URL,
and matching the bytes), at most 10 MB, width and height above 14 px, aspect ratio
within [1/3, 3], at most 6000x6000 pixels; an unreachable link or bytes that are not an
image are refused too (sources: BytePlus ModelArk / Volcengine Ark "Image generation
API", Seedream 4.0 ``image`` parameter, as mirrored by several API resellers' copies).
"""

from __future__ import annotations

import base64
import binascii
import io
import re
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
MAX_INPUT_BYTES = 10 * 1024 * 1024  # "Size: no more than 10 MB"
MAX_INPUT_PIXELS = 6000 * 6000
INPUT_FORMATS = {"png": "PNG", "jpeg": "JPEG"}
MAX_REFERENCE_IMAGES = 14  # "up to 14 reference images" (Seedream 4.0/4.5/5.0)
# Seedream/SeedEdit ids (BytePlus, or Volcengine's "doubao-" ones) and endpoint ids.
MODEL_ID = re.compile(r"^(doubao-)?(seedream|seededit)-\d[\w.-]*$|^ep-[\w-]+$")


@dataclass(frozen=True)
class RecordedRequest:
    path: str
    headers: dict[str, str]
    body: dict


def png_bytes(width: int, height: int, colour: tuple[int, int, int] = (90, 200, 120)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, format="PNG")
    return out.getvalue()


async def _reference(image: object, state) -> tuple[int, int, int] | str:
    """The average colour of the reference image, or why Ark would refuse it."""
    if not isinstance(image, str):
        return "image must be a URL or a Base64 data URL"
    if image.startswith("data:"):
        state.inline.append(image)
        header, _, encoded = image.partition(",")
        fmt = header.removeprefix("data:image/").removesuffix(";base64")
        if not header.startswith("data:image/") or not header.endswith(";base64"):
            return "data URL must look like data:image/<format>;base64,<data>"
        if fmt not in INPUT_FORMATS:
            return f"image format {fmt!r} is not supported"
        try:
            data = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            return "image is not valid Base64"
        return _checked_colour(data, INPUT_FORMATS[fmt])
    if not image.startswith(("http://", "https://")):
        return "image must be a URL or a Base64 data URL"
    state.fetched.append(image)
    try:
        async with httpx.AsyncClient(timeout=10) as client:
            response = await client.get(image)
        response.raise_for_status()
    except httpx.HTTPError:
        return "image could not be downloaded"
    return _checked_colour(response.content, None)


async def _references(model: str, image: object, state) -> tuple[int, int, int] | str:
    """The average colour of every reference in ``image``, or why Ark would refuse it."""
    if "-t2i-" in model:
        return f"model {model} does not support image input"
    if isinstance(image, list):
        if "seededit-3" in model:
            return f"model {model} takes one image, a string"
        if not image or len(image) > MAX_REFERENCE_IMAGES:
            return f"image must hold 1 to {MAX_REFERENCE_IMAGES} reference images"
        colours = []
        for item in image:
            colour = await _reference(item, state)
            if isinstance(colour, str):
                return colour
            colours.append(colour)
        r, g, b = (round(sum(c[i] for c in colours) / len(colours)) for i in range(3))
        return (r, g, b)
    return await _reference(image, state)


def _checked_colour(data: bytes, fmt: str | None) -> tuple[int, int, int] | str:
    if len(data) > MAX_INPUT_BYTES:
        return "image is larger than 10 MB"
    try:
        with Image.open(io.BytesIO(data)) as img:
            if img.format not in INPUT_FORMATS.values() or fmt not in (None, img.format):
                return "image format does not match or is not supported"
            width, height = img.size
            if min(width, height) <= 14 or not 1 / 3 <= width / height <= 3:
                return "image width, height or aspect ratio out of range"
            if width * height > MAX_INPUT_PIXELS:
                return "image has more than 6000x6000 pixels"
            return img.convert("RGB").resize((1, 1), Image.Resampling.BOX).getpixel((0, 0))
    except OSError:
        return "image could not be read"


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
        if not MODEL_ID.match(str(body.get("model", ""))):
            message = f"The model or endpoint {body.get('model')} does not exist"
            return _error(404, "InvalidEndpointOrModel.NotFound", message, param="model")
        prompt = str(body.get("prompt", ""))
        if "[refuse-input]" in prompt:
            return _error(400, "InputTextSensitiveContentDetected", "The request failed.")
        if "[refuse-image]" in prompt and "image" in body:
            message = "The request failed because the input image may contain sensitive info."
            return _error(400, "InputImageSensitiveContentDetected", message)
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
            reference = await _references(str(body.get("model")), body["image"], app.state)
            if isinstance(reference, str):
                return _error(400, "InvalidParameter", reference, param="image")
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
    app.state.inline = []
    return app
