"""Google Gemini API image models ("Nano Banana"): ``generateContent``.

``POST {base}/models/{model}:generateContent`` with ``x-goog-api-key: <key>`` and
``generationConfig.responseModalities = ["TEXT", "IMAGE"]`` plus
``imageConfig.aspectRatio`` (and ``imageSize`` for larger images). Images come back as
base64 in ``candidates[0].content.parts[].inlineData``; in practice one per call, so
``image_count`` images take that many calls. No negative prompt field: it is folded.

Moderation arrives as HTTP 200 without an image part: ``promptFeedback.blockReason``
(prompt blocked) or a candidate ``finishReason`` such as ``IMAGE_SAFETY``, ``SAFETY`` or
``PROHIBITED_CONTENT``. A 429 ``RESOURCE_EXHAUSTED`` carries its wait in a
``google.rpc.RetryInfo`` detail (``"retryDelay": "37s"``).

Reference images (``spec.reference_images``) go in the same user turn as inline image
parts after the text part, ``{"inlineData": {"mimeType", "data"}}`` with the bytes in
base64 (python-genai ``types.Part.inline_data``, camelCase on the wire; the image
generation guide passes ``[prompt, image, ...]``). The 3-series image models take up to
14 images (core.providers.capabilities), each ``image/png``, ``image/jpeg`` or
``image/webp`` here (Google also lists heic/heif) and at most 7 MB inline (Google Cloud's
model pages); the whole request must stay under the Gemini API's 100 MB of base64 inline
data (raised from 20 MB: Google's developer blog, "Increased file size limits and
expanded inputs support in Gemini API", 2026-01-12), so each image gets a share of that,
and larger ones are re-encoded smaller (core.providers.common.image_data_url).
"""

from __future__ import annotations

import httpx

from core.errors import ProviderPermanent, ProviderRateLimited, ProviderRefused
from core.providers.base import GeneratedImage, GenerationResult, GenerationSpec
from core.providers.capabilities import max_reference_images
from core.providers.common import (
    closest_size,
    decode_base64_image,
    fold_negative_prompt,
    json_body,
    parse_retry_after,
    raise_for_status,
    reference_data_urls,
    transport_errors,
)

ASPECT_RATIOS = ("1:1", "2:3", "3:2", "3:4", "4:3", "4:5", "5:4", "9:16", "16:9", "21:9")
# Finish reasons that mean "policy said no"; others without an image (NO_IMAGE, OTHER,
# IMAGE_OTHER, MAX_TOKENS, a plain STOP with only text) are permanent failures.
REFUSAL_FINISH_REASONS = frozenset(
    {
        "SAFETY",
        "IMAGE_SAFETY",
        "PROHIBITED_CONTENT",
        "IMAGE_PROHIBITED_CONTENT",
        "BLOCKLIST",
        "SPII",
        "RECITATION",
        "IMAGE_RECITATION",
    }
)
_SEED_MODULUS = 2**31
INLINE_MIMES = ("image/png", "image/jpeg", "image/webp")
MAX_INLINE_IMAGE_BYTES = 7_000_000  # per image, inline (Google Cloud's model pages)
# All inline images together, as base64, within the 100 MB inline payload (with room for
# the JSON around them and the prompt).
INLINE_BUDGET_CHARS = 95_000_000
MAX_REFERENCE_PIXELS = 4096 * 4096


def _aspect_ratio(spec: GenerationSpec) -> str:
    if spec.aspect_ratio in ASPECT_RATIOS:
        return spec.aspect_ratio
    ratios = [(int(w), int(h)) for w, h in (r.split(":") for r in ASPECT_RATIOS)]
    w, h = closest_size(spec.width, spec.height, ratios)
    return f"{w}:{h}"


def _image_size(spec: GenerationSpec) -> str | None:
    """``2K``/``4K`` for large requests on the 3-series models; ``None`` keeps the 1K
    default (2.5-flash-image only does 1K)."""
    if spec.model.removeprefix("models/").startswith("gemini-2"):
        return None
    longest = max(spec.width, spec.height)
    return "4K" if longest > 3072 else "2K" if longest > 1536 else None


def _retry_delay_s(response: httpx.Response) -> float:
    """``RetryInfo.retryDelay`` (a protobuf Duration: ``"7s"``, ``"0.5s"``) from the error
    details; the headers when it is absent."""
    try:
        details = response.json()["error"]["details"]
    except (ValueError, KeyError, TypeError):
        details = None
    for detail in details if isinstance(details, list) else []:
        if not isinstance(detail, dict) or not str(detail.get("@type", "")).endswith(
            "google.rpc.RetryInfo"
        ):
            continue
        delay = detail.get("retryDelay")
        try:
            if isinstance(delay, str) and delay.endswith("s"):
                return max(0.0, float(delay[:-1]))
            if isinstance(delay, dict):  # {"seconds": 7, "nanos": 0}
                return max(0.0, float(delay.get("seconds", 0)) + delay.get("nanos", 0) / 1e9)
        except (TypeError, ValueError):
            pass
    return parse_retry_after(response.headers)


class GeminiProvider:
    """Gemini image generation (``gemini-3.1-flash-image``, ``gemini-3-pro-image``)."""

    name = "google"

    def __init__(self, http: httpx.AsyncClient, *, api_key: str, base_url: str) -> None:
        self._http = http
        self._api_key = api_key
        self._base_url = base_url.rstrip("/")

    async def generate(self, spec: GenerationSpec) -> GenerationResult:
        """Raises: ProviderRefused, ProviderRateLimited, ProviderTransient, ProviderPermanent
        (also an unreadable reference), RouteUnsupported (more references than the model
        takes)."""
        if spec.image_count < 1:
            raise ProviderPermanent(reason=f"image_count {spec.image_count} out of range")
        model = spec.model.removeprefix("models/")
        url = f"{self._base_url}/models/{model}:generateContent"
        references = await _inline_parts(spec)
        images: list[GeneratedImage] = []
        job_id: str | None = None
        while len(images) < spec.image_count:
            body = self._body(spec, index=len(images), references=references)
            batch, call_id = await self._call(url, body)
            images.extend(batch)
            job_id = job_id or call_id
        return GenerationResult(images=images[: spec.image_count], provider_job_id=job_id)

    def _body(self, spec: GenerationSpec, *, index: int, references: list[dict]) -> dict:
        image_config = {"aspectRatio": _aspect_ratio(spec)}
        if size := _image_size(spec):
            image_config["imageSize"] = size
        config: dict[str, object] = {
            "responseModalities": ["TEXT", "IMAGE"],
            "imageConfig": image_config,
        }
        if spec.seed is not None:  # honoured for images or not (unconfirmed), it is valid
            config["seed"] = (spec.seed + index) % _SEED_MODULUS
        text = fold_negative_prompt(spec.prompt, spec.negative_prompt)
        return {
            "contents": [{"role": "user", "parts": [{"text": text}, *references]}],
            "generationConfig": config,
        }

    async def _call(self, url: str, body: dict) -> tuple[list[GeneratedImage], str | None]:
        async with transport_errors():
            response = await self._http.post(
                url, json=body, headers={"x-goog-api-key": self._api_key}
            )
        if response.status_code == 429:
            raise ProviderRateLimited(
                retry_after_s=_retry_delay_s(response), reason="gemini HTTP 429"
            )
        raise_for_status(response, what="gemini")
        data = json_body(response)
        feedback = data.get("promptFeedback")
        if isinstance(feedback, dict) and feedback.get("blockReason"):
            raise ProviderRefused(reason=f"gemini prompt blocked: {feedback['blockReason']}")
        candidates = data.get("candidates")
        if not isinstance(candidates, list) or not candidates:
            raise ProviderPermanent(reason="gemini returned no candidates")
        candidate = candidates[0] if isinstance(candidates[0], dict) else {}
        content = candidate.get("content")
        parts = content.get("parts") if isinstance(content, dict) else None
        parts = [p for p in parts if isinstance(p, dict)] if isinstance(parts, list) else []
        images = [decode_base64_image(encoded) for encoded in _image_data(parts)]
        if images:
            response_id = data.get("responseId")
            return images, str(response_id) if response_id is not None else None
        finish = str(candidate.get("finishReason") or "")
        if finish in REFUSAL_FINISH_REASONS:
            raise ProviderRefused(reason=f"gemini finish reason {finish}")
        said = " ".join(str(p["text"]) for p in parts if p.get("text") and not p.get("thought"))
        raise ProviderPermanent(
            reason=f"gemini returned no image (finish reason {finish or 'none'})"
            + (f": {said[:200]}" if said else "")
        )


async def _inline_parts(spec: GenerationSpec) -> list[dict]:
    """The references as inline image parts, each within its share of the request.

    Raises: RouteUnsupported (more than the model takes: nothing sent), ProviderPermanent
    (a reference that is not a readable image).
    """
    urls = await reference_data_urls(
        spec,
        service="gemini",
        limit=max_reference_images("google", spec.model),
        max_chars_each=MAX_INLINE_IMAGE_BYTES * 4 // 3,
        budget_chars=INLINE_BUDGET_CHARS,
        max_pixels=MAX_REFERENCE_PIXELS,
        mimes=INLINE_MIMES,
    )
    parts = []
    for url in urls:
        mime, _, data = url.removeprefix("data:").partition(";base64,")
        parts.append({"inlineData": {"mimeType": mime, "data": data}})
    return parts


def _image_data(parts: list[dict]) -> list[str]:
    """Base64 of the final image parts; thought (draft) images and non-images skipped."""
    found = []
    for part in parts:
        inline = part.get("inlineData") or part.get("inline_data")
        if part.get("thought") or not isinstance(inline, dict):
            continue
        mime = str(inline.get("mimeType") or inline.get("mime_type") or "image/")
        if mime.startswith("image/") and isinstance(inline.get("data"), str):
            found.append(inline["data"])
    return found
