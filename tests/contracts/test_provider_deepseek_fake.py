"""The DeepSeek fake answers what the real chat completions API answers, in its
OpenAI-style error shape ``{"error": {"message", "type", "param", "code"}}``, and
DeepSeekEnhancer's own request passes it. Sources, per rule:

- "error codes": api-docs.deepseek.com/quick_start/error_codes (400 invalid format,
  401 authentication fails, 402 insufficient balance, 422 invalid parameters, 429, 500,
  503);
- "thinking": api-docs.deepseek.com/guides/thinking_mode (``{"thinking": {"type":
  "enabled"|"disabled"}}``; thinking is ENABLED by default; reasoning comes back in
  ``message.reasoning_content``);
- "models": api-docs.deepseek.com/quick_start/pricing (``deepseek-v4-flash``,
  ``deepseek-v4-pro``; ``deepseek-chat``/``deepseek-reasoner`` retired 2026-07-24, per the
  project's provider reference §7).
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from core.providers.deepseek import DeepSeekEnhancer
from tests.support.fake_deepseek import FakeDeepSeek
from tests.support.servers import serve_asgi

KEY = "sk-test-deepseek"
MESSAGES = [{"role": "system", "content": "s"}, {"role": "user", "content": "a cat"}]
GOOD = {"model": "deepseek-v4-flash", "messages": MESSAGES, "thinking": {"type": "disabled"}}


@pytest.fixture
async def fake() -> AsyncIterator[tuple[FakeDeepSeek, str, httpx.AsyncClient]]:
    app = FakeDeepSeek(api_key=KEY)
    async with serve_asgi(app) as url, httpx.AsyncClient(timeout=30) as http:
        yield app, url, http
        app.release.set()


async def _post(fake, body: dict, headers: dict | None = None) -> httpx.Response:
    _, url, http = fake
    headers = {"Authorization": f"Bearer {KEY}"} if headers is None else headers
    return await http.post(f"{url}/chat/completions", json=body, headers=headers)


def _error(response: httpx.Response, status: int) -> None:
    assert response.status_code == status, response.text
    assert set(response.json()["error"]) >= {"message", "type"}


async def test_the_enhancers_request_passes_without_thinking(fake):
    app, url, http = fake
    enhancer = DeepSeekEnhancer(http, api_key=KEY, base_url=url, model="deepseek-v4-flash")
    assert await enhancer.enhance("a cat")
    assert app.thinking_requests == 0  # thinking: the switch was sent


async def test_thinking_is_on_unless_switched_off(fake):
    # thinking: enabled by default, reasoning in message.reasoning_content
    app, _, _ = fake
    body = {k: v for k, v in GOOD.items() if k != "thinking"}
    message = (await _post(fake, body)).json()["choices"][0]["message"]
    assert "reasoning_content" in message and app.thinking_requests == 1
    message = (await _post(fake, GOOD)).json()["choices"][0]["message"]
    assert "reasoning_content" not in message and app.thinking_requests == 1


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer sk-wrong"}, {"X": KEY}])
async def test_missing_or_wrong_key_is_401(fake, headers):
    # error codes: 401 Authentication Fails
    _error(await _post(fake, GOOD, headers), 401)


@pytest.mark.parametrize("model", ["deepseek-v9", "gpt-4o", ""])
async def test_an_unknown_model_is_400(fake, model):
    # models: only the listed ids exist; error codes: 400 for an invalid request body
    _error(await _post(fake, {**GOOD, "model": model}), 400)


async def test_a_body_without_messages_is_400(fake):
    # error codes: 400 Invalid Format
    _error(await _post(fake, {"model": "deepseek-v4-flash"}), 400)


@pytest.mark.parametrize("thinking", [{"type": "off"}, "disabled", {"type": None}])
async def test_an_invalid_thinking_value_is_422(fake, thinking):
    # thinking: type is "enabled" or "disabled"; error codes: 422 Invalid Parameters
    _error(await _post(fake, {**GOOD, "thinking": thinking}), 422)
