"""Fireworks AI: FLUX.1 [schnell]/[dev] through the synchronous "workflows" endpoint.

``POST {base}/workflows/accounts/fireworks/models/{model}/text_to_image`` with
``Authorization: Bearer <key>`` and ``{"prompt", "aspect_ratio", "seed"}``. The answer is
raw image bytes (``Accept: image/png``, a ``Finish-Reason`` header) or JSON
``{"id", "base64": ["data:image/png;base64,..."], "finishReason", "seed"}``
(``Accept: application/json``); either is understood, whatever was asked for. One image
per call. There is no negative prompt field, so it is folded into the prompt.

Moderation: Fireworks' safety check is opt-in, so every request sends
``"safety_check": true`` (without it unsafe images come back as a success; fal and
Replicate filter by default). A filtered answer carries the finish reason
``CONTENT_FILTERED`` (documented: "SUCCESS unless safety_check=true and the image response
was filtered"; in the ``Finish-Reason`` header for binary answers), which is a
``ProviderRefused`` like every other service's refusal. BFL-style ``Request Moderated`` /
``Content Moderated`` are reported for Kontext, so any value naming a filter,
moderation, NSFW or safety is a refusal and any other non-success is permanent.
"""

from __future__ import annotations

import httpx

from core.errors import ProviderPermanent, ProviderRefused
from core.providers.base import GeneratedImage, GenerationResult, GenerationSpec
from core.providers.common import (
    checked_image,
    closest_size,
    decode_base64_image,
    fold_negative_prompt,
    json_body,
    raise_for_status,
    transport_errors,
)

ASPECT_RATIOS = ("1:1", "21:9", "16:9", "3:2", "5:4", "4:5", "2:3", "9:16", "9:21", "4:3", "3:4")
ACCEPT_FORMS = ("application/json", "image/png", "image/jpeg")
_MODERATION_WORDS = ("FILTER", "MODERAT", "NSFW", "SAFETY", "BLOCK")
_SEED_MODULUS = 2**31


def aspect_ratio_for(spec: GenerationSpec, allowed: tuple[str, ...]) -> str:
    """``spec.aspect_ratio`` when the API knows it, else the closest allowed ratio."""
    if spec.aspect_ratio in allowed:
        return spec.aspect_ratio
    ratios = [(int(w), int(h)) for w, h in (r.split(":") for r in allowed)]
    w, h = closest_size(spec.width, spec.height, ratios)
    return f"{w}:{h}"


def _check_finish_reason(value: object) -> None:
    """Raises: ProviderRefused (moderation), ProviderPermanent (any other non-success)."""
    if value is None or str(value).upper() == "SUCCESS":
        return
    normalised = str(value).upper().replace(" ", "_")
    if any(word in normalised for word in _MODERATION_WORDS):
        raise ProviderRefused(reason=f"fireworks finish reason {value}")
    raise ProviderPermanent(reason=f"fireworks finish reason {value}")


class FireworksProvider:
    """FLUX text-to-image on Fireworks. ``accept`` picks the answer form (JSON by default,
    because it carries ``finishReason`` in the body rather than in a header)."""

    name = "fireworks"

    def __init__(
        self,
        http: httpx.AsyncClient,
        *,
        api_key: str,
        base_url: str,
        accept: str = "application/json",
    ) -> None:
        if accept not in ACCEPT_FORMS:
            raise ValueError(f"accept must be one of {ACCEPT_FORMS}")
        self._http = http
        self._api_key = api_key
        self._base_url = base_url.rstrip("/")
        self._accept = accept

    def _url(self, model: str) -> str:
        path = model if model.startswith("accounts/") else f"accounts/fireworks/models/{model}"
        return f"{self._base_url}/workflows/{path}/text_to_image"

    async def generate(self, spec: GenerationSpec) -> GenerationResult:
        """Raises: ProviderRefused, ProviderRateLimited, ProviderTransient, ProviderPermanent."""
        if spec.image_count < 1:
            raise ProviderPermanent(reason=f"image_count {spec.image_count} out of range")
        body: dict[str, object] = {
            "prompt": fold_negative_prompt(spec.prompt, spec.negative_prompt),
            "aspect_ratio": aspect_ratio_for(spec, ASPECT_RATIOS),
            "safety_check": True,  # opt-in on Fireworks: unsafe images pass without it
        }
        images: list[GeneratedImage] = []
        job_id: str | None = None
        while len(images) < spec.image_count:
            if spec.seed is not None:  # a different seed per image, or they would be equal
                body["seed"] = (spec.seed + len(images)) % _SEED_MODULUS
            batch, call_id = await self._call(self._url(spec.model), body)
            images.extend(batch)
            job_id = job_id or call_id
        return GenerationResult(images=images[: spec.image_count], provider_job_id=job_id)

    async def _call(self, url: str, body: dict) -> tuple[list[GeneratedImage], str | None]:
        headers = {"Authorization": f"Bearer {self._api_key}", "Accept": self._accept}
        async with transport_errors():
            response = await self._http.post(url, json=body, headers=headers)
        raise_for_status(response, what="fireworks")
        content_type = response.headers.get("content-type", "").lower()
        if "json" not in content_type:  # image/*, or octet-stream: the bytes are sniffed
            _check_finish_reason(response.headers.get("finish-reason"))
            return [checked_image(response.content)], None
        data = json_body(response)
        _check_finish_reason(data.get("finishReason"))
        encoded = data.get("base64")
        if isinstance(encoded, str):
            encoded = [encoded]
        if not encoded or not isinstance(encoded, list):
            raise ProviderPermanent(reason="fireworks returned no image")
        if not all(isinstance(item, str) for item in encoded):
            raise ProviderPermanent(reason="fireworks returned an unexpected image field")
        job_id = data.get("id")
        return [decode_base64_image(item) for item in encoded], (
            str(job_id) if job_id is not None else None
        )
