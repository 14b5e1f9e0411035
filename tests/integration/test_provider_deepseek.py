"""DeepSeekEnhancer against the loopback DeepSeek fake, over real HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest

from core.errors import ProviderPermanent, ProviderRateLimited, ProviderTransient
from core.providers.deepseek import MAX_PROMPT_CHARS, DeepSeekEnhancer
from tests.support.fake_deepseek import FakeDeepSeek, enhanced
from tests.support.servers import serve_asgi

MODEL = "deepseek-v4-flash"
KEY = "sk-test-deepseek"


@dataclass
class Stand:
    fake: FakeDeepSeek
    enhancer: DeepSeekEnhancer
    base_url: str
    http: httpx.AsyncClient


@pytest.fixture
async def stand() -> AsyncIterator[Stand]:
    fake = FakeDeepSeek(api_key=KEY)
    async with serve_asgi(fake) as url, httpx.AsyncClient(timeout=30) as http:
        enhancer = DeepSeekEnhancer(http, api_key=KEY, base_url=url, model=MODEL)
        try:
            yield Stand(fake, enhancer, url, http)
        finally:
            fake.release.set()  # let a held [hang] request finish so the server can stop


async def test_success_returns_the_rewritten_prompt(stand: Stand):
    assert await stand.enhancer.enhance("a cat on a roof") == enhanced("a cat on a roof")

    [sent] = stand.fake.requests
    assert (sent.method, sent.path) == ("POST", "/chat/completions")
    assert sent.headers["authorization"] == f"Bearer {KEY}"
    assert sent.json["model"] == MODEL
    assert sent.json["stream"] is False
    system, user = sent.json["messages"]
    assert system["role"] == "system" and str(MAX_PROMPT_CHARS) in system["content"]
    assert user == {"role": "user", "content": "a cat on a roof"}


async def test_thinking_is_switched_off(stand: Stand):
    """DeepSeek's current models think by default (api-docs.deepseek.com, guides/thinking_mode):
    an enhancer that omits ``thinking: {"type": "disabled"}`` pays for reasoning tokens."""
    await stand.enhancer.enhance("a cat on a roof")

    [sent] = stand.fake.requests
    assert sent.json["thinking"] == {"type": "disabled"}
    assert stand.fake.thinking_requests == 0


@pytest.mark.parametrize("marker", ["[blank-lines]", "[keep-alive]"])
async def test_filler_before_the_json_body_is_skipped(stand: Stand, marker: str):
    assert await stand.enhancer.enhance(f"a cat {marker}") == enhanced(f"a cat {marker}")


async def test_fences_quotes_and_markdown_are_stripped(stand: Stand):
    assert await stand.enhancer.enhance("a cat [fenced]") == enhanced("a cat [fenced]")


async def test_an_empty_answer_is_permanent(stand: Stand):
    with pytest.raises(ProviderPermanent, match="empty"):
        await stand.enhancer.enhance("a cat [empty]")


async def test_no_balance_is_permanent(stand: Stand):
    with pytest.raises(ProviderPermanent, match="402"):
        await stand.enhancer.enhance("a cat [402]")


async def test_429_is_rate_limited_with_retry_after(stand: Stand):
    with pytest.raises(ProviderRateLimited) as caught:
        await stand.enhancer.enhance("a cat [429]")
    assert caught.value.retry_after_s == 7


@pytest.mark.parametrize("marker", ["[500]", "[503]"])
async def test_server_errors_are_transient(stand: Stand, marker: str):
    with pytest.raises(ProviderTransient):
        await stand.enhancer.enhance(f"a cat {marker}")


async def test_a_non_json_body_is_permanent(stand: Stand):
    with pytest.raises(ProviderPermanent, match="invalid JSON"):
        await stand.enhancer.enhance("a cat [notjson]")


async def test_a_held_connection_times_out_as_transient(stand: Stand):
    enhancer = DeepSeekEnhancer(
        stand.http, api_key=KEY, base_url=stand.base_url, model=MODEL, timeout_s=0.2
    )
    with pytest.raises(ProviderTransient, match="timed out"):
        await enhancer.enhance("a cat [hang]")


async def test_wrong_key_is_permanent(stand: Stand):
    enhancer = DeepSeekEnhancer(
        stand.http, api_key="sk-wrong", base_url=stand.base_url, model=MODEL
    )
    with pytest.raises(ProviderPermanent, match="401"):
        await enhancer.enhance("a cat")


async def test_the_fake_rejects_any_other_auth_scheme(stand: Stand):
    body = {
        "model": MODEL,
        "messages": [{"role": "system", "content": "s"}, {"role": "user", "content": "u"}],
    }
    for header in (f"Token {KEY}", KEY):
        response = await stand.http.post(
            f"{stand.base_url}/chat/completions", json=body, headers={"Authorization": header}
        )
        assert response.status_code == 401
