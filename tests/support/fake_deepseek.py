"""A loopback fake of DeepSeek's OpenAI-compatible chat completions (``POST /chat/completions``).

Sources: api-docs.deepseek.com (Your First API Call; Error Codes; guides/thinking_mode,
checked 2026-12-04) and the project's provider reference (DeepSeek section).
It checks ``Authorization: Bearer <key>`` (401 otherwise, OpenAI-style error envelope), a
system + user message and a known model (``deepseek-v4-flash`` / ``deepseek-v4-pro``; 400
otherwise), records every request, and answers a rewritten prompt. Thinking mode is on
unless the request says ``"thinking": {"type": "disabled"}`` (the documented default):
then the answer also carries ``reasoning_content`` and ``thinking_requests`` counts it.
Markers in the user message:

    [blank-lines]  the JSON body after blank lines, streamed (as under load)
    [keep-alive]   the JSON body after ``: keep-alive`` comment lines
    [fenced]       the answer wrapped in a code fence, quotes and markdown bold
    [empty]        an answer of only quotes and whitespace
    [402] [429] [500] [503]  that status (429 with retry-after: 7)
    [notjson]      a 200 HTML page
    [hang]         no answer until ``release`` is set (or 10 s pass)
"""

from __future__ import annotations

import asyncio
import contextlib
import json

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from tests.support.fake_openai import RecordedRequest, bearer_ok, record

HANG_LIMIT_S = 10.0
MODELS = ("deepseek-v4-flash", "deepseek-v4-pro")
ERRORS = {
    402: "Insufficient Balance",
    429: "Rate Limit Reached",
    500: "Server Error",
    503: "Server Overloaded",
}


def _error(status: int, message: str, **headers: str) -> Response:
    body = {
        "error": {"message": message, "type": "invalid_request_error", "param": None, "code": None}
    }
    return JSONResponse(body, status_code=status, headers=headers)


def enhanced(prompt: str) -> str:
    """The fake's rewrite of ``prompt``; tests compare against it."""
    return f"A luminous, richly detailed scene of {prompt}, soft golden-hour light, 35mm film"


async def _completions(request: Request) -> Response:
    app: FakeDeepSeek = request.app
    body = await record(request)
    if not bearer_ok(request, app.api_key):
        return _error(401, "Authentication Fails, Your api key is invalid")
    try:
        roles = [m["role"] for m in body["messages"]]
        prompt = body["messages"][-1]["content"]
        ok = roles == ["system", "user"] and isinstance(prompt, str) and body["model"]
    except (KeyError, TypeError, IndexError):
        ok = False
    if not ok:
        return _error(400, "Invalid format")
    if body["model"] not in MODELS:
        return _error(400, "Model Not Exist")
    thinking = body.get("thinking", {"type": "enabled"})
    if not isinstance(thinking, dict) or thinking.get("type") not in ("enabled", "disabled"):
        return _error(422, "Invalid thinking parameter")
    thinks = thinking["type"] == "enabled"
    app.thinking_requests += thinks
    for status, message in ERRORS.items():
        if f"[{status}]" in prompt:
            return _error(status, message, **({"retry-after": "7"} if status == 429 else {}))
    if "[notjson]" in prompt:
        return Response("<html>busy</html>", media_type="text/html")
    if "[hang]" in prompt:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(app.release.wait(), HANG_LIMIT_S)
    content = enhanced(prompt)
    if "[fenced]" in prompt:
        content = f'```text\n"**{content}**"\n```'
    elif "[empty]" in prompt:
        content = ' \n "" \n'
    answer = {
        "id": "chatcmpl-fake-1",
        "object": "chat.completion",
        "model": body["model"],
        "choices": [
            {
                "index": 0,
                "message": {
                    "role": "assistant",
                    "content": content,
                    **({"reasoning_content": "The user wants an image…"} if thinks else {}),
                },
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 60, "completion_tokens": 40, "total_tokens": 100},
    }
    payload = json.dumps(answer).encode()
    if "[blank-lines]" in prompt or "[keep-alive]" in prompt:
        filler = b"\n" if "[blank-lines]" in prompt else b": keep-alive\n\n"

        async def held_open():
            for _ in range(3):
                yield filler
            yield payload

        return StreamingResponse(held_open(), media_type="application/json")
    return Response(payload, media_type="application/json")


class FakeDeepSeek(Starlette):
    """``requests`` lists what arrived, oldest first; set ``release`` to end a [hang]."""

    def __init__(self, api_key: str = "sk-test-deepseek") -> None:
        super().__init__(routes=[Route("/chat/completions", _completions, methods=["POST"])])
        self.api_key = api_key
        self.requests: list[RecordedRequest] = []
        self.release = asyncio.Event()
        self.thinking_requests = 0  # requests that left thinking mode on (the default)
