"""DeepSeekEnhancer: rewrites a user's idea as a richer image prompt with DeepSeek's
OpenAI-compatible chat completions API, ``POST {base}/chat/completions``.

Under load DeepSeek holds the connection open and sends blank lines (``: keep-alive``
comments when streaming) before the JSON body, so the body is parsed after skipping them.
Any failure raises a typed ``ProviderError``; the worker then keeps the original prompt.

DeepSeek's current models (``deepseek-v4-flash``, ``deepseek-v4-pro``; ``deepseek-chat`` and
``deepseek-reasoner`` were retired on 2026-07-24) think before answering unless told not to
(api-docs.deepseek.com, guides/thinking_mode): reasoning tokens cost time and money and
``temperature`` is ignored while thinking, so every request sends
``"thinking": {"type": "disabled"}``.
"""

from __future__ import annotations

import json
import re

import httpx

from core.errors import ProviderPermanent
from core.providers.common import raise_for_status, transport_errors

MAX_PROMPT_CHARS = 600
DEFAULT_TIMEOUT_S = 60.0  # an enhancement is optional: never hold a job for long
SYSTEM_PROMPT = (
    "You improve prompts for an AI image generator. Rewrite the user's idea as one vivid, "
    "concrete image prompt: subject, setting, style, lighting, composition. Keep the "
    "user's intent and language. Answer with the prompt text only, under "
    f"{MAX_PROMPT_CHARS} characters: no quotes, no markdown, no explanations."
)
_FENCE = re.compile(r"^```[\w-]*\s*|\s*```$")
_LABEL = re.compile(r"^(?:improved |enhanced |image )?prompt\s*:\s*", re.IGNORECASE)
_QUOTES = "\"'`“”‘’«»"


class DeepSeekEnhancer:
    """A ``PromptEnhancer`` backed by a DeepSeek chat model (e.g. ``deepseek-v4-flash``)."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        *,
        api_key: str,
        base_url: str,
        model: str,
        timeout_s: float = DEFAULT_TIMEOUT_S,
    ) -> None:
        self._http = http
        self._url = f"{base_url}/chat/completions"
        self._headers = {"Authorization": f"Bearer {api_key}"}
        self._model = model
        self._timeout_s = timeout_s

    async def enhance(self, prompt: str) -> str:
        """The improved prompt, plain text, at most ``MAX_PROMPT_CHARS`` characters.

        Raises:
            ProviderRateLimited (429), ProviderTransient (5xx incl. 503 overloaded,
            timeouts, network), ProviderPermanent (402 no balance, other 4xx, a bad or
            empty answer).
        """
        body = {
            "model": self._model,
            "messages": [
                {"role": "system", "content": SYSTEM_PROMPT},
                {"role": "user", "content": prompt},
            ],
            "thinking": {"type": "disabled"},  # on by default: slow and paid for
            "temperature": 1.0,
            "max_tokens": 400,
            "stream": False,
        }
        async with transport_errors():
            response = await self._http.post(
                self._url, json=body, headers=self._headers, timeout=self._timeout_s
            )
        raise_for_status(response, what="deepseek")
        answer = _parse_body(response.text)
        try:
            content = answer["choices"][0]["message"]["content"]
        except (KeyError, IndexError, TypeError) as exc:
            raise ProviderPermanent(reason="deepseek returned no message") from exc
        cleaned = clean_prompt(content if isinstance(content, str) else "")
        if not cleaned:
            raise ProviderPermanent(reason="deepseek returned an empty prompt")
        return cleaned


def _parse_body(text: str) -> dict:
    """JSON after any blank lines or ``:`` keep-alive comment lines."""
    lines = text.splitlines(keepends=True)
    while lines and (not lines[0].strip() or lines[0].startswith(":")):
        lines.pop(0)
    try:
        body = json.loads("".join(lines))
    except ValueError as exc:
        raise ProviderPermanent(reason="deepseek returned invalid JSON") from exc
    if not isinstance(body, dict):
        raise ProviderPermanent(reason="deepseek returned an unexpected JSON shape")
    return body


def clean_prompt(text: str) -> str:
    """One line of plain prompt text: code fences, a "Prompt:" label, markdown emphasis
    and wrapping quotes removed, whitespace collapsed, cut at a word boundary."""
    text = _FENCE.sub("", text.strip())
    text = " ".join(text.replace("**", "").replace("__", "").split())
    text = _LABEL.sub("", text.lstrip("#> ").strip())
    while len(text) >= 2 and text[0] in _QUOTES and text[-1] in _QUOTES:
        inner = text[1:-1]
        if text[0] in inner or text[-1] in inner:  # '"a" and "b"': not one wrapping pair
            break
        text = inner.strip()
    if len(text) > MAX_PROMPT_CHARS:
        text = text[:MAX_PROMPT_CHARS].rsplit(" ", 1)[0].rstrip(",;:- ")
    return text
