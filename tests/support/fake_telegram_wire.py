"""The wire format of the fake Bot API: request bodies as PTB sends them (form-urlencoded,
or multipart for uploads, non-string fields JSON-encoded) and Telegram's error shape."""

from __future__ import annotations

import email.policy
import json
from email.parser import BytesParser
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import JSONResponse

from tests.support.fake_telegram_delivery import Upload

__all__ = ["error_response", "read_params"]

# Fields PTB sends JSON-encoded (everything that is not a plain string).
_JSON_FIELDS = {
    "reply_markup",
    "commands",
    "scope",
    "prices",
    "allowed_updates",
    "entities",
    "caption_entities",
    "ok",
}


async def read_params(request: Request) -> dict[str, Any]:
    """Form-urlencoded, empty, or multipart (an upload: its file parts become ``Upload``)."""
    content_type = request.headers.get("content-type", "")
    body = await request.body()
    fields: list[tuple[str, Any]]
    if content_type.startswith("multipart/"):
        fields = _multipart_fields(content_type, body)
    else:
        fields = parse_qsl(body.decode(), keep_blank_values=True)
    params: dict[str, Any] = {}
    for key, value in fields:
        decode = key in _JSON_FIELDS and isinstance(value, str)
        params[key] = json.loads(value) if decode else value
    return params


def _multipart_fields(content_type: str, body: bytes) -> list[tuple[str, Any]]:
    """A ``multipart/form-data`` body (parsed with the standard library's MIME parser)."""
    message = BytesParser(policy=email.policy.HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body
    )
    fields: list[tuple[str, Any]] = []
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        data = part.get_payload(decode=True) or b""
        filename = part.get_filename()
        if filename is None:
            fields.append((name, data.decode()))
        else:
            fields.append((name, Upload(filename, part.get_content_type(), data)))
    return fields


def error_response(status: int, description: str, parameters: dict[str, Any] | None = None):
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if parameters:
        body["parameters"] = parameters
    return JSONResponse(body, status_code=status)
