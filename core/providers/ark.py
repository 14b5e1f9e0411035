"""BytePlus ModelArk (and Volcengine Ark): Seedream through ``/images/generations``.

``POST {base}/images/generations`` (base ``https://ark.ap-southeast.bytepluses.com/api/v3``)
with ``Authorization: Bearer <ARK_API_KEY>`` and an OpenAI-like body: ``model`` (e.g.
``seedream-4-5-251128``, ``seedream-4-0-250828``, Volcengine ``doubao-…`` or an ``ep-…``
endpoint id), ``prompt``, ``size`` as ``"WxH"``, ``response_format`` (``url`` or
``b64_json``), ``watermark``. Answer: ``{"data": [{"url" | "b64_json", "size"}],
"usage": {"generated_images", "output_tokens", "total_tokens"}}``.

Sizes are the documented recommended ones per aspect ratio (4.x/5.x: 2K, total pixels
within [2560x1440, 4096x4096]; 3.0: 1K). ``seed`` is sent only to the 3.0 models, the
only ones documented to take it. Group generation (``sequential_image_generation: auto``)
lets the model decide how many images to draw, so ``image_count`` is met by one call per
image with it disabled. Usage carries no price, so ``cost_usd`` stays ``None``.

Reference images (``spec.reference_images``: the user's, or a variation's source) go as
``image``, Ark's input for image-to-image and multi-image fusion: a single string for one
reference, an array for several (Seedream 4.x/5.x take up to 14, input plus generated
images at most 15, so one call per image keeps within it; SeedEdit 3.0 takes exactly one;
the 3.0 text-to-image model takes none). More than the model takes is refused here before
any call. Each goes as a Base64 data URL ``data:image/png;base64,...``: a signed link to
local storage is one Ark cannot reach. Ark's input rules (jpeg or png, at most 10 MB, at
most 6000x6000 pixels) are met before the call: another type is re-encoded, and an image
over the cap is re-encoded as JPEG and scaled down until its data URL fits in 10,000,000
characters (under 10 MB however Ark counts).

Moderation: HTTP 400 with ``error.code`` ``InputTextSensitiveContentDetected``,
``OutputImageSensitiveContentDetected`` (or another ``…Sensitive…`` / ``…RiskDetection``
code); the same codes may arrive per image inside a 200.
"""

from __future__ import annotations

import asyncio

import httpx

from core.errors import ProviderPermanent, ProviderRefused, RouteUnsupported
from core.providers.base import GeneratedImage, GenerationResult, GenerationSpec
from core.providers.common import (
    closest_size,
    decode_base64_image,
    download_image,
    fold_negative_prompt,
    image_data_url,
    json_body,
    raise_for_status,
    transport_errors,
)

# Recommended "WxH" per aspect ratio (1:1, 4:3, 3:4, 16:9, 9:16, 3:2, 2:3, 21:9).
SIZES_2K = [(2048, 2048), (2304, 1728), (1728, 2304), (2560, 1440), (1440, 2560),
            (2496, 1664), (1664, 2496), (3024, 1296)]  # fmt: skip
SIZES_V3 = [(1024, 1024), (1152, 864), (864, 1152), (1280, 720), (720, 1280),
            (1248, 832), (832, 1248), (1512, 648)]  # fmt: skip
RESPONSE_FORMATS = ("url", "b64_json")
MAX_SOURCE_DATA_URL_CHARS = 10_000_000  # "no more than 10 MB": safe in bytes or MiB
MAX_SOURCE_PIXELS = 6000 * 6000
# ``image``: "up to 14 reference images" for Seedream 4.0/4.5/5.0 (input + generated <= 15);
# SeedEdit 3.0 i2i takes one; the 3.0 t2i model none.
MAX_REFERENCE_IMAGES = 14
_SEED_MODULUS = 2**31
_REFUSAL_MARKERS = ("Sensitive", "RiskDetection", "PolicyViolation", "PrivacyInformation")


def is_v3_model(model: str) -> bool:
    """Seedream/SeedEdit 3.0 ids (``seedream-3-0-t2i-250415``, ``doubao-seedream-3-0-…``)."""
    return "seedream-3" in model or "seededit-3" in model


def ark_reference_limit(model: str) -> int:
    """How many reference images ``model`` takes in ``image`` (0: none)."""
    if "-t2i-" in model:
        return 0
    return 1 if is_v3_model(model) else MAX_REFERENCE_IMAGES


def ark_size(spec: GenerationSpec) -> str:
    """The recommended size whose aspect ratio is closest to the requested one."""
    w, h = closest_size(spec.width, spec.height, SIZES_V3 if is_v3_model(spec.model) else SIZES_2K)
    return f"{w}x{h}"


def _error(payload: object) -> tuple[str, str]:
    """``(code, message)`` of an ``{"error": {...}}`` object; empty strings when absent."""
    error = payload.get("error") if isinstance(payload, dict) else None
    if not isinstance(error, dict):
        return "", ""
    return str(error.get("code") or ""), str(error.get("message") or "")[:200]


def _raise_for_error_code(code: str, message: str) -> None:
    """Raises: ProviderRefused for moderation codes; nothing for anything else."""
    if any(marker in code for marker in _REFUSAL_MARKERS):
        raise ProviderRefused(reason=f"ark {code}: {message}" if message else f"ark {code}")


class ArkProvider:
    """Seedream on BytePlus ModelArk. ``response_format`` ``url`` (the API's default; the
    image is then downloaded) or ``b64_json``; ``watermark`` adds Ark's "AI generated"
    mark."""

    name = "ark"

    def __init__(
        self,
        http: httpx.AsyncClient,
        *,
        api_key: str,
        base_url: str,
        response_format: str = "url",
        watermark: bool | str = False,
    ) -> None:
        if response_format not in RESPONSE_FORMATS:
            raise ValueError(f"response_format must be one of {RESPONSE_FORMATS}")
        self._http = http
        self._api_key = api_key
        self._base_url = base_url.rstrip("/")
        self._response_format = response_format
        self._watermark = str(watermark).lower() in ("1", "true", "yes", "on")

    async def generate(self, spec: GenerationSpec) -> GenerationResult:
        """Raises: ProviderRefused, ProviderRateLimited, ProviderTransient,
        RouteUnsupported (more references than the model takes), ProviderPermanent."""
        if spec.image_count < 1:
            raise ProviderPermanent(reason=f"image_count {spec.image_count} out of range")
        limit = ark_reference_limit(spec.model)
        if len(spec.reference_images) > limit:  # the next route may take them
            raise RouteUnsupported(
                reason=f"ark model {spec.model} takes at most {limit} reference images, "
                f"not {len(spec.reference_images)}"
            )
        urls = [
            await asyncio.to_thread(  # re-encoding a large image takes seconds
                image_data_url,
                source.data,
                max_chars=MAX_SOURCE_DATA_URL_CHARS,
                max_pixels=MAX_SOURCE_PIXELS,
            )
            for source in spec.reference_images
        ]
        # One reference as a string (what every Seedream/SeedEdit model takes), several as
        # an array (4.x/5.x multi-image input).
        reference: str | list[str] | None = (urls[0] if len(urls) == 1 else urls) or None
        images: list[GeneratedImage] = []
        while len(images) < spec.image_count:
            images.extend(await self._call(self._body(spec, reference, index=len(images))))
        return GenerationResult(images=images[: spec.image_count])

    def _body(self, spec: GenerationSpec, reference: str | list[str] | None, *, index: int) -> dict:
        body: dict[str, object] = {
            "model": spec.model,
            "prompt": fold_negative_prompt(spec.prompt, spec.negative_prompt),
            "size": ark_size(spec),
            "response_format": self._response_format,
            "watermark": self._watermark,
            "stream": False,
        }
        if reference is not None:
            body["image"] = reference
        if is_v3_model(spec.model):
            if spec.seed is not None:
                body["seed"] = (spec.seed + index) % _SEED_MODULUS
        else:
            body["sequential_image_generation"] = "disabled"
        return body

    async def _call(self, body: dict) -> list[GeneratedImage]:
        headers = {"Authorization": f"Bearer {self._api_key}"}
        async with transport_errors():
            response = await self._http.post(
                f"{self._base_url}/images/generations", json=body, headers=headers
            )
        if response.status_code >= 400:
            try:
                code, message = _error(response.json())
            except ValueError:
                code, message = "", ""
            _raise_for_error_code(code, message)
            raise_for_status(response, what=f"ark {code}".strip())
        data = json_body(response)
        code, message = _error(data)
        if code or message:
            _raise_for_error_code(code, message)
            raise ProviderPermanent(reason=f"ark error {code}: {message}")
        items = data.get("data")
        if not isinstance(items, list) or not items:
            raise ProviderPermanent(reason="ark returned no image")
        return [await self._image(item) for item in items]

    async def _image(self, item: object) -> GeneratedImage:
        if not isinstance(item, dict):
            raise ProviderPermanent(reason="ark returned an unexpected image entry")
        code, message = _error(item)  # group generation reports a blocked image per index
        if code or message:
            _raise_for_error_code(code, message)
            raise ProviderPermanent(reason=f"ark image error {code}: {message}")
        if isinstance(item.get("b64_json"), str):
            return decode_base64_image(item["b64_json"])
        if isinstance(item.get("url"), str):
            # A pre-signed storage URL: the Ark key must not travel with it.
            return await download_image(self._http, item["url"])
        raise ProviderPermanent(reason="ark returned an image entry without url or b64_json")
