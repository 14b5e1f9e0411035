"""OpenAIProvider: the OpenAI Images API, ``POST {base}/images/generations``.

GPT-image models (``gpt-image-2`` and its ``-sunburst``/``-flare`` variants; DALL·E is
shut down) take a fixed set of sizes, ``n`` images per call, no seed and no negative
prompt, and answer with ``data[].b64_json`` in one synchronous response. Moderation is an
HTTP 400 whose ``error.code`` is ``moderation_blocked`` (or DALL·E's
``content_policy_violation``).
"""

from __future__ import annotations

import httpx

from core.errors import ProviderPermanent, ProviderRefused
from core.providers.base import GeneratedImage, GenerationResult, GenerationSpec
from core.providers.common import (
    closest_size,
    decode_base64_image,
    download_image,
    fold_negative_prompt,
    json_body,
    raise_for_status,
    transport_errors,
)

# GPT-image sizes; "auto" is never sent, the request's aspect ratio decides.
SIZES: list[tuple[int, int]] = [(1024, 1024), (1536, 1024), (1024, 1536)]
MAX_IMAGES_PER_CALL = 10
MODERATION_CODES = frozenset({"moderation_blocked", "content_policy_violation"})
MAX_REASON_CHARS = 200


class OpenAIProvider:
    """GPT-image generation over plain httpx."""

    name = "openai"

    def __init__(self, http: httpx.AsyncClient, *, api_key: str, base_url: str) -> None:
        self._http = http
        self._url = f"{base_url}/images/generations"
        self._headers = {"Authorization": f"Bearer {api_key}"}

    async def generate(self, spec: GenerationSpec) -> GenerationResult:
        """Raises:
        ProviderRefused (moderation), ProviderRateLimited (429), ProviderTransient
        (5xx, network), ProviderPermanent (other 4xx, quota exhausted, bad payload).
        """
        if not 1 <= spec.image_count <= MAX_IMAGES_PER_CALL:
            raise ProviderPermanent(reason=f"image_count {spec.image_count} out of range")
        width, height = closest_size(spec.width, spec.height, SIZES)
        body = {
            "model": spec.model,
            "prompt": fold_negative_prompt(spec.prompt, spec.negative_prompt),
            "n": spec.image_count,
            "size": f"{width}x{height}",
        }
        async with transport_errors():
            response = await self._http.post(self._url, json=body, headers=self._headers)
        if response.status_code != 200:
            _raise_for_error(response)
        data = json_body(response).get("data")
        if not isinstance(data, list) or len(data) < spec.image_count:
            got = len(data) if isinstance(data, list) else 0
            raise ProviderPermanent(reason=f"openai returned {got} of {spec.image_count} images")
        images = [await self._image(item) for item in data[: spec.image_count]]
        return GenerationResult(images=images, provider_job_id=response.headers.get("x-request-id"))

    async def _image(self, item: object) -> GeneratedImage:
        if isinstance(item, dict):
            if isinstance(item.get("b64_json"), str):
                return decode_base64_image(item["b64_json"])
            if isinstance(item.get("url"), str):  # DALL·E's url mode
                return await download_image(self._http, item["url"])
        raise ProviderPermanent(reason="openai returned an entry without an image")


def _raise_for_error(response: httpx.Response) -> None:
    """Map a non-200 response. Moderation and quota exhaustion are told apart by
    ``error.code``; everything else by status."""
    code, message = _error_fields(response)
    if response.status_code == 400 and code in MODERATION_CODES:
        raise ProviderRefused(reason=(message or code)[:MAX_REASON_CHARS])
    if response.status_code == 429 and code == "insufficient_quota":
        # Also a 429, but waiting does not help: the account is out of money.
        raise ProviderPermanent(reason="openai quota exhausted (insufficient_quota)")
    raise_for_status(response, what=f"openai images ({code})" if code else "openai images")
    raise ProviderPermanent(reason=f"openai images HTTP {response.status_code}")


def _error_fields(response: httpx.Response) -> tuple[str, str]:
    """``(error.code, error.message)`` from the error envelope; blanks if absent."""
    try:
        error = response.json().get("error")
    except (ValueError, AttributeError):
        return "", ""
    if not isinstance(error, dict):
        return "", ""
    code, message = error.get("code"), error.get("message")
    return (
        code if isinstance(code, str) else "",
        message.strip() if isinstance(message, str) else "",
    )
