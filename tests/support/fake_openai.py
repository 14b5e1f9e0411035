"""A loopback fake of the OpenAI Images API (``POST /v1/images/generations`` and
``POST /v1/images/edits``).

Sources: openai/openai-python ``types/image_generate_params.py`` (fields, sizes, ``n``
1-10, ``response_format`` for DALL·E only) and ``types/images_response.py``; the OpenAI
error-codes and rate-limit guides (401 ``invalid_api_key``, 429 and its headers); the
deprecations page (DALL·E shut down 2026-05-12); the project's provider reference §1.
Contract tests: tests/contracts/test_provider_openai_fake.py.

It checks ``Authorization: Bearer <key>`` (401 otherwise), the model (404
``model_not_found`` for ids it does not serve, retired DALL·E included), validates the
GPT-image request fields (400 ``invalid_request_error`` naming the ``param``; a
``response_format`` is refused, GPT-image always answers base64), records every request,
and picks its behaviour from markers in the prompt:

    [refuse]        400 moderation_blocked (GPT-image), a message longer than 200 chars
    [refuse-dalle]  400 content_policy_violation (DALL·E)
    [429]           429 rate_limit_exceeded with retry-after: 7
    [429-reset]     429 with only x-ratelimit-reset-requests: 6m0s
    [quota]         429 insufficient_quota
    [500]           500 server_error;  [503-html]  503 with an HTML body
    [url]           data[].url pointing back at this fake instead of b64_json
    [huge-url]      data[].url to a 26 MB download;  [notimage]  b64_json of plain text
    [few]           one image fewer than asked for

``/v1/images/edits`` (image edits, what OpenAIProvider calls with reference images) takes
the same fields and markers as a ``multipart/form-data`` form, with the images as file
parts named ``image`` (one) or ``image[]`` (an array: the official SDK's field name,
openai-python ``resources/images.py`` ``edit`` with ``extract_files``' "brackets" array
format). It refuses, with OpenAI's error bodies as quoted in public issue threads:

- any other content type: 400 ``unsupported_content_type`` ("This API method only accepts
  'multipart/form-data' requests", e.g. microsoft/genaiscript #1913);
- no image: 400 naming ``image``; more than 16 images: 400 naming ``image`` (the limit is
  the SDK's ``types/image_edit_params.py``: "You can provide up to 16 images"; the
  wording of this message is the fake's own, unconfirmed);
- a part whose content type is not image/png, image/jpeg or image/webp: 400
  ``unsupported_file_mimetype`` naming ``image[0]`` (prism-php/prism #725; openai-node
  #1468);
- a part that is not a decodable image: 400 ``invalid_image_file`` of type
  ``image_generation_user_error`` ("Invalid image file or mode for image 1", lofcz/
  LLMTornado #105).

Edits are recorded with ``json`` holding the form fields and, under ``"image[]"``, the
parts as ``(field, filename, content type, bytes)``.

Also holds the helpers the other fakes share: ``RecordedRequest``, ``png_bytes`` and
``bearer_ok``.
"""

from __future__ import annotations

import base64
import email.parser
import email.policy
import io
import itertools
from dataclasses import dataclass
from typing import Any

from PIL import Image
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

SIZES = ("1024x1024", "1536x1024", "1024x1536", "auto")
# gpt-image-2 also takes any WIDTHxHEIGHT with both sides divisible by 16, an aspect
# ratio between 1:3 and 3:1, and at most 3840x2160 (openai-python image_generate_params
# and image_edit_params, ``size``).
MAX_GPT_IMAGE_2_PIXELS, MAX_GPT_IMAGE_2_EDGE = 3840 * 2160, 3840
MODEL_PREFIXES = ("gpt-image-1", "gpt-image-2")  # dall-e-2/-3: shut down 2026-05-12
MAX_EDIT_IMAGES = 16  # GPT image models (openai-python types/image_edit_params.py)
EDIT_MIMES = ("image/jpeg", "image/png", "image/webp")
HUGE_BYTES = 26 * 1024 * 1024
MODERATION_MESSAGE = (
    "Your request was rejected by the safety system. If you believe this is an error, "
    "contact us at help.openai.com and include the request ID req_0123456789abcdef in "
    "your message. safety_violations=[sexual]. This sentence pads the message past two "
    "hundred characters."
)


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    json: Any
    headers: dict[str, str]


def png_bytes(
    width: int = 8, height: int = 8, colour: tuple[int, int, int] = (40, 90, 200)
) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def bearer_ok(request: Request, api_key: str) -> bool:
    return request.headers.get("authorization") == f"Bearer {api_key}"


async def record(request: Request) -> Any:
    """Parse the JSON body (``None`` if it is not JSON) and append it to the app's log."""
    try:
        body = await request.json()
    except ValueError:
        body = None
    request.app.requests.append(
        RecordedRequest(request.method, request.url.path, body, dict(request.headers))
    )
    return body


def _error(
    status: int,
    message: str,
    type_: str,
    code: str | None,
    param: str | None = None,
    **headers: str,
) -> Response:
    body = {"error": {"message": message, "type": type_, "param": param, "code": code}}
    return JSONResponse(body, status_code=status, headers=headers)


def _invalid(param: str, message: str) -> Response:
    return _error(400, message, "invalid_request_error", "invalid_value", param)


def _unauthorized() -> Response:
    return _error(401, "Incorrect API key provided.", "invalid_request_error", "invalid_api_key")


async def _generations(request: Request) -> Response:
    app: FakeOpenAI = request.app
    body = await record(request)
    if not bearer_ok(request, app.api_key):
        return _unauthorized()
    return _answer(request, body)


def _form(content_type: str, payload: bytes) -> tuple[dict[str, str], list[tuple]] | None:
    """Fields and file parts of a ``multipart/form-data`` body (stdlib MIME parser);
    ``None`` when it is not one."""
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + payload)
    if not message.is_multipart():
        return None
    fields: dict[str, str] = {}
    files: list[tuple] = []
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        data = part.get_payload(decode=True) or b""
        if part.get_filename() is not None:
            # A part without a Content-Type is what OpenAI reports as application/octet-stream.
            mime = (
                part.get_content_type() if part.get("content-type") else "application/octet-stream"
            )
            files.append((name, part.get_filename(), mime, data))
        else:
            fields[str(name)] = data.decode()
    return fields, files


async def _edits(request: Request) -> Response:
    app: FakeOpenAI = request.app
    content_type = request.headers.get("content-type", "")
    parsed = None
    if content_type.startswith("multipart/form-data"):
        parsed = _form(content_type, await request.body())
    fields, files = parsed if parsed is not None else ({}, [])
    app.requests.append(
        RecordedRequest(
            request.method, request.url.path, {**fields, "image[]": files}, dict(request.headers)
        )
    )
    if not bearer_ok(request, app.api_key):
        return _unauthorized()
    if parsed is None:
        given = content_type.split(";")[0] or "none"
        message = (
            f"Unsupported content type: '{given}'. This API method only accepts "
            "'multipart/form-data' requests, but you specified the header "
            f"'Content-Type: {given}'. Please try again with a supported content type."
        )
        return _error(400, message, "invalid_request_error", "unsupported_content_type")
    images = [f for f in files if f[0] in ("image", "image[]")]
    if not images:
        return _invalid("image", "Missing required parameter: 'image'.")
    if len(images) > MAX_EDIT_IMAGES:
        message = f"Too many images: {len(images)}. At most {MAX_EDIT_IMAGES} may be given."
        return _invalid("image", message)
    for index, (field, _, mime, data) in enumerate(images):
        param = "image" if field == "image" else f"image[{index}]"
        if mime not in EDIT_MIMES:
            message = (
                f"Invalid file '{param}': unsupported mimetype ('{mime}'). Supported file "
                "formats are 'image/jpeg', 'image/png', and 'image/webp'."
            )
            return _error(400, message, "invalid_request_error", "unsupported_file_mimetype", param)
        try:
            with Image.open(io.BytesIO(data)) as opened:
                opened.load()
        except Exception:
            message = (
                f"Invalid image file or mode for image {index + 1}, please check your image file."
            )
            return _error(400, message, "image_generation_user_error", "invalid_image_file")
    body: dict[str, Any] = dict(fields)
    if isinstance(body.get("n"), str) and body["n"].isdigit():
        body["n"] = int(body["n"])
    return _answer(request, body)


def _free_size_ok(size: object) -> bool:
    """A gpt-image-2 ``WIDTHxHEIGHT`` size within the SDK's documented bounds."""
    parts = str(size).split("x")
    if len(parts) != 2 or not all(p.isdigit() for p in parts):
        return False
    w, h = int(parts[0]), int(parts[1])
    return (
        w > 0 and h > 0 and w % 16 == 0 and h % 16 == 0
        and 1 / 3 <= w / h <= 3
        and w * h <= MAX_GPT_IMAGE_2_PIXELS and max(w, h) <= MAX_GPT_IMAGE_2_EDGE
    )  # fmt: skip


def _answer(request: Request, body: Any) -> Response:
    """Validate the fields both endpoints share, then answer by the prompt's markers."""
    app: FakeOpenAI = request.app
    if not isinstance(body, dict) or not isinstance(body.get("prompt"), str):
        return _invalid("prompt", "Missing required parameter: 'prompt'.")
    model = body.get("model")
    if not isinstance(model, str) or not model.startswith(MODEL_PREFIXES):
        message = f"The model '{model}' does not exist or you do not have access to it."
        return _error(404, message, "invalid_request_error", "model_not_found")
    n, size = body.get("n", 1), body.get("size", "auto")
    if not isinstance(n, int) or isinstance(n, bool) or not 1 <= n <= 10:
        return _invalid("n", f"Invalid 'n': {n!r}. Expected a value between 1 and 10.")
    if size not in SIZES and not (model.startswith("gpt-image-2") and _free_size_ok(size)):
        return _invalid("size", f"Invalid value: '{size}'. Supported values are: {SIZES}.")
    if "response_format" in body:
        return _invalid("response_format", "Unknown parameter: 'response_format'.")
    prompt: str = body["prompt"]
    if "[refuse]" in prompt:
        return _error(400, MODERATION_MESSAGE, "image_generation_user_error", "moderation_blocked")
    if "[refuse-dalle]" in prompt:
        message = "Your request was rejected as a result of our safety system."
        return _error(400, message, "invalid_request_error", "content_policy_violation")
    if "[429]" in prompt:
        return _error(
            429, "Rate limit reached for images per minute.", "requests", "rate_limit_exceeded",
            **{"retry-after": "7", "x-ratelimit-reset-requests": "1s"},
        )  # fmt: skip
    if "[429-reset]" in prompt:
        return _error(
            429, "Rate limit reached.", "requests", "rate_limit_exceeded",
            **{"x-ratelimit-reset-requests": "6m0s"},
        )  # fmt: skip
    if "[quota]" in prompt:
        return _error(
            429, "You exceeded your current quota.", "insufficient_quota", "insufficient_quota"
        )
    if "[500]" in prompt:
        return _error(
            500, "The server had an error while processing your request.", "server_error", None
        )
    if "[503-html]" in prompt:
        return Response("<html>503 Service Unavailable</html>", 503, media_type="text/html")
    width, height = (1024, 1024) if size == "auto" else map(int, size.split("x"))
    count = n - 1 if "[few]" in prompt else n
    if "[url]" in prompt:
        base = str(request.base_url).rstrip("/")
        data = [{"url": f"{base}/files/{width}x{height}.png"} for _ in range(count)]
    elif "[huge-url]" in prompt:
        data = [{"url": f"{str(request.base_url).rstrip('/')}/files/huge.png"}] * count
    else:
        image = (
            b"this is not an image"
            if "[notimage]" in prompt
            else png_bytes(width // 64, height // 64)
        )
        data = [{"b64_json": base64.b64encode(image).decode()} for _ in range(count)]
    answer = {
        "created": 1_713_833_628, "data": data, "output_format": "png", "size": size,
        "usage": {"input_tokens": 50, "output_tokens": 4160, "total_tokens": 4210},
    }  # fmt: skip
    return JSONResponse(answer, headers={"x-request-id": f"req_{next(app.ids)}"})


async def _file(request: Request) -> Response:
    await record(request)
    name = request.path_params["name"]
    if name == "huge.png":

        async def chunks():
            yield b"\x89PNG\r\n\x1a\n"
            for _ in range(HUGE_BYTES // (1024 * 1024)):
                yield bytes(1024 * 1024)

        length = str(8 + HUGE_BYTES // (1024 * 1024) * 1024 * 1024)
        return StreamingResponse(
            chunks(), media_type="image/png", headers={"content-length": length}
        )
    width, height = (int(x) for x in name.removesuffix(".png").split("x"))
    return Response(png_bytes(width // 64, height // 64), media_type="image/png")


class FakeOpenAI(Starlette):
    """``requests`` lists what arrived, oldest first."""

    def __init__(self, api_key: str = "sk-test-openai") -> None:
        super().__init__(
            routes=[
                Route("/v1/images/generations", _generations, methods=["POST"]),
                Route("/v1/images/edits", _edits, methods=["POST"]),
                Route("/files/{name}", _file, methods=["GET"]),
            ]
        )
        self.api_key = api_key
        self.requests: list[RecordedRequest] = []
        self.ids = itertools.count(1)
