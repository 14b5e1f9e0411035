"""OpenRouterProvider: OpenRouter's chat completions API with image output,
``POST {base}/chat/completions`` and ``modalities`` asking for images.

``modalities`` is exactly what the model outputs (``GenerationSpec.output_modalities``,
from the catalogue): ``["image"]`` for image-only models (FLUX, Seedream, GPT Image),
``["image", "text"]`` for Gemini. Asking an image-only model for text too is answered
404 "No endpoints found that support the requested output modalities"; an unknown model
id is a 400. Both mean this route cannot serve the request (``RouteUnsupported``: the
worker tries the model's next route).

Images arrive as base64 data URLs in ``choices[0].message.images[].image_url.url``; most
models draw one image per call, so the provider calls again until it has enough. The
aspect ratio goes in ``image_config.aspect_ratio``. Errors use the envelope
``{"error": {"code": int, "message": str, "metadata": {...}}}``, and an error that happens
after generation started comes back as HTTP 200 with that envelope in the body.

Reference images (``spec.reference_images``) turn the user message's ``content`` into an
array of parts, the text first and then one ``{"type": "image_url", "image_url": {"url":
"data:image/...;base64,..."}}`` per image (openrouter.ai docs, "Image Inputs": URL or
base64 data URL, text before images). Data URLs, because our signed links may not be
reachable from outside. OpenRouter has no limit of its own; each model id takes its
upstream service's (core.providers.capabilities), and a model id with none listed
takes no references: such a request is not this route's (RouteUnsupported). Each image
is kept within the strictest upstream inline rules (Gemini: 7 MB an image; OpenAI: 50 MB
of images a request), re-encoded smaller when needed.
"""

from __future__ import annotations

import httpx

from core.errors import (
    ProviderPermanent,
    ProviderRateLimited,
    ProviderRefused,
    ProviderTransient,
    RouteUnsupported,
)
from core.providers.base import GeneratedImage, GenerationResult, GenerationSpec
from core.providers.capabilities import max_reference_images
from core.providers.common import (
    decode_base64_image,
    download_image,
    fold_negative_prompt,
    json_body,
    parse_retry_after,
    raise_for_status,
    reference_data_urls,
    transport_errors,
)

ASPECT_RATIOS = ("1:1", "2:3", "3:2", "3:4", "4:3", "4:5", "5:4", "9:16", "16:9", "21:9")
EXTRA_CALLS = 2  # calls allowed beyond image_count, for models that sometimes skip the image
MAX_REASON_CHARS = 200
MODERATION_KEYS = frozenset({"reasons", "flagged_input"})
# Image input types every upstream here takes (OpenAI edits: png/jpeg/webp; Gemini: those
# and heic/heif; Seedream: those and more).
INPUT_MIMES = ("image/png", "image/jpeg", "image/webp")
MAX_INPUT_IMAGE_CHARS = 7_000_000 * 4 // 3
INPUT_BUDGET_CHARS = 48_000_000
MAX_INPUT_PIXELS = 4096 * 4096


class OpenRouterProvider:
    """Image models routed by OpenRouter, over plain httpx."""

    name = "openrouter"

    def __init__(self, http: httpx.AsyncClient, *, api_key: str, base_url: str) -> None:
        self._http = http
        self._url = f"{base_url}/chat/completions"
        self._headers = {"Authorization": f"Bearer {api_key}"}

    async def generate(self, spec: GenerationSpec) -> GenerationResult:
        """Raises:
        ProviderRefused (403 moderation), ProviderRateLimited (429), ProviderTransient
        (408, 5xx, network), RouteUnsupported (400 bad model id or parameter, 404 no
        endpoint for the model or its modalities; more references than the model
        takes), ProviderPermanent (402 no credits, other 4xx, no image or a bad image
        after the bounded number of calls, an unreadable reference).
        """
        text = fold_negative_prompt(spec.prompt, spec.negative_prompt)
        content: str | list[dict] = text
        if spec.reference_images:
            content = [{"type": "text", "text": text}, *await _image_parts(spec)]
        body = {
            "model": spec.model,
            "messages": [{"role": "user", "content": content}],
            "modalities": list(spec.output_modalities),
            "image_config": {"aspect_ratio": _aspect_ratio(spec)},
            "stream": False,
        }
        images: list[GeneratedImage] = []
        job_ids: list[str] = []
        cost_usd: float | None = None
        for _ in range(spec.image_count + EXTRA_CALLS):
            if len(images) >= spec.image_count:
                break
            answer = await self._call(body)
            if isinstance(answer.get("id"), str):
                job_ids.append(answer["id"])
            cost = _cost(answer)
            if cost is not None:
                cost_usd = (cost_usd or 0.0) + cost
            entries = _image_entries(answer)
            images.extend([await self._image(entry) for entry in entries])
        if len(images) < spec.image_count:
            raise ProviderPermanent(
                reason=f"openrouter returned {len(images)} of {spec.image_count} images"
            )
        return GenerationResult(
            images=images[: spec.image_count],
            provider_job_id=",".join(job_ids) or None,
            cost_usd=cost_usd,
        )

    async def _call(self, body: dict) -> dict:
        async with transport_errors():
            response = await self._http.post(self._url, json=body, headers=self._headers)
        if response.status_code >= 400:
            _raise_for_error(response, _error_of(response))
        answer = json_body(response)
        error = answer.get("error")
        if isinstance(error, dict):  # failed after generation started: HTTP 200
            _raise_for_error(response, error)
        return answer

    async def _image(self, entry: object) -> GeneratedImage:
        url = entry.get("image_url", {}).get("url") if isinstance(entry, dict) else None
        if not isinstance(url, str):
            raise ProviderPermanent(reason="openrouter returned an image entry without a URL")
        if url.startswith("data:"):
            return decode_base64_image(url)
        return await download_image(self._http, url)


async def _image_parts(spec: GenerationSpec) -> list[dict]:
    """The references as ``image_url`` parts with base64 data URLs.

    Raises: RouteUnsupported (more than the model takes, or a model not known to take
    any: nothing sent), ProviderPermanent (a reference that is not a readable image).
    """
    urls = await reference_data_urls(
        spec,
        service="openrouter",
        limit=max_reference_images("openrouter", spec.model),
        max_chars_each=MAX_INPUT_IMAGE_CHARS,
        budget_chars=INPUT_BUDGET_CHARS,
        max_pixels=MAX_INPUT_PIXELS,
        mimes=INPUT_MIMES,
    )
    return [{"type": "image_url", "image_url": {"url": url}} for url in urls]


def _aspect_ratio(spec: GenerationSpec) -> str:
    if spec.aspect_ratio in ASPECT_RATIOS:
        return spec.aspect_ratio
    target = spec.width / spec.height
    return min(
        ASPECT_RATIOS, key=lambda r: abs(int(r.split(":")[0]) / int(r.split(":")[1]) - target)
    )


def _image_entries(answer: dict) -> list:
    """``choices[0].message.images``; a choice stopped by a content filter with no image
    is a refusal (OpenRouter normalises ``finish_reason``)."""
    choices = answer.get("choices")
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
        raise ProviderPermanent(reason="openrouter returned no choices")
    message = choices[0].get("message")
    message = message if isinstance(message, dict) else {}
    images = message.get("images")
    if isinstance(images, list) and images:
        return images
    if choices[0].get("finish_reason") == "content_filter":
        text = str(message.get("content") or "").strip() or "blocked by the content filter"
        raise ProviderRefused(reason=text[:MAX_REASON_CHARS])
    return []


def _cost(answer: dict) -> float | None:
    usage = answer.get("usage")
    cost = usage.get("cost") if isinstance(usage, dict) else None
    return float(cost) if isinstance(cost, int | float) else None


def _error_of(response: httpx.Response) -> dict:
    try:
        error = response.json().get("error")
    except (ValueError, AttributeError):
        return {}
    return error if isinstance(error, dict) else {}


def _raise_for_error(response: httpx.Response, error: dict) -> None:
    """Map an error envelope by ``error.code``, falling back to the HTTP status."""
    code = error.get("code")
    status = int(str(code)) if str(code).isdigit() else response.status_code
    message = str(error.get("message") or "").strip()
    metadata = error.get("metadata")
    if status == 403 and isinstance(metadata, dict) and MODERATION_KEYS & metadata.keys():
        reasons = metadata.get("reasons")
        detail = ", ".join(map(str, reasons)) if isinstance(reasons, list) else ""
        text = f"{message}: {detail}" if message and detail else message or detail
        raise ProviderRefused(reason=(text or "flagged by moderation")[:MAX_REASON_CHARS])
    if status == 402:
        raise ProviderPermanent(reason="openrouter: insufficient credits (HTTP 402)")
    if status in (400, 404):  # the model, a parameter or a modality: not this route's
        raise RouteUnsupported(reason=f"openrouter {status}: {message[:MAX_REASON_CHARS]}")
    raise_for_status(response, what="openrouter")  # the HTTP status, when it is an error
    # An error reported in a 200 body, after generation started.
    if status == 429:
        raise ProviderRateLimited(
            retry_after_s=parse_retry_after(response.headers), reason="openrouter 429 in body"
        )
    if 400 <= status < 500 and status not in (408, 409):
        raise ProviderPermanent(reason=f"openrouter error {status} in body")
    raise ProviderTransient(reason=f"openrouter error {code} in body")
