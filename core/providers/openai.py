"""OpenAIProvider: the OpenAI Images API, ``POST {base}/images/generations``.

GPT-image models (``gpt-image-2`` and its ``-sunburst``/``-flare`` variants; DALL·E is
shut down) take a fixed set of sizes, ``n`` images per call, no seed and no negative
prompt, and answer with ``data[].b64_json`` in one synchronous response. Moderation is an
HTTP 400 whose ``error.code`` is ``moderation_blocked`` (or DALL·E's
``content_policy_violation``).

With ``spec.reference_images`` the request goes to the image edits endpoint instead,
``POST {base}/images/edits``: ``multipart/form-data`` (a JSON body is refused there) with
one ``image[]`` file part per reference (the field name and array form the official SDK
sends: openai-python ``resources/images.py`` ``edit`` and ``_utils.extract_files``) and
``model``, ``prompt``, ``n`` and ``size`` as form fields. GPT image models take up to 16
images, each png, webp or jpg under 50 MB (``types/image_edit_params.py``); a reference
of another type is re-encoded as PNG first, and each part carries its own content type
(without it the API answers 400 ``unsupported_file_mimetype``). The answer has the same
shape as a generation's.
"""

from __future__ import annotations

import asyncio
import io

import httpx
from PIL import Image

from core.errors import ProviderPermanent, ProviderRefused, RouteUnsupported
from core.providers.base import GeneratedImage, GenerationResult, GenerationSpec, SourceImage
from core.providers.capabilities import max_reference_images
from core.providers.common import (
    closest_size,
    decode_base64_image,
    download_image,
    fold_negative_prompt,
    json_body,
    raise_for_status,
    sniff_image_mime,
    transport_errors,
)

# GPT-image sizes; "auto" is never sent, the request's aspect ratio decides.
SIZES: list[tuple[int, int]] = [(1024, 1024), (1536, 1024), (1024, 1536)]
MAX_IMAGES_PER_CALL = 10
MODERATION_CODES = frozenset({"moderation_blocked", "content_policy_violation"})
MAX_REASON_CHARS = 200
# What the edits endpoint takes per image (GPT image models): png, webp or jpg, < 50 MB.
EDIT_MIMES = {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp"}
MAX_EDIT_IMAGE_BYTES = 50 * 1000 * 1000


class OpenAIProvider:
    """GPT-image generation over plain httpx."""

    name = "openai"

    def __init__(self, http: httpx.AsyncClient, *, api_key: str, base_url: str) -> None:
        self._http = http
        self._url = f"{base_url}/images/generations"
        self._edits_url = f"{base_url}/images/edits"
        self._headers = {"Authorization": f"Bearer {api_key}"}

    async def generate(self, spec: GenerationSpec) -> GenerationResult:
        """Raises:
        ProviderRefused (moderation), ProviderRateLimited (429), ProviderTransient
        (5xx, network), ProviderPermanent (other 4xx, quota exhausted, bad payload, an
        unreadable reference), RouteUnsupported (more references than the model takes).
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
        if spec.reference_images:
            response = await self._edit(spec, body)
        else:
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

    async def _edit(self, spec: GenerationSpec, fields: dict) -> httpx.Response:
        """POST the edits form: the generation's fields plus one ``image[]`` per reference.

        Raises: RouteUnsupported (more references than the model takes: nothing sent),
        ProviderPermanent (a reference that is not a readable image), ProviderTransient.
        """
        limit = max_reference_images("openai", spec.model)
        if len(spec.reference_images) > limit:
            raise RouteUnsupported(
                reason=f"openai {spec.model} takes {limit} reference images, "
                f"not {len(spec.reference_images)}"
            )
        parts = await asyncio.to_thread(_edit_parts, spec.reference_images)
        form = {key: str(value) for key, value in fields.items()}
        async with transport_errors():
            return await self._http.post(
                self._edits_url, data=form, files=parts, headers=self._headers
            )

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


def _edit_parts(
    references: tuple[SourceImage, ...],
) -> list[tuple[str, tuple[str, bytes, str]]]:
    """One ``("image[]", (filename, bytes, content type))`` per reference: as it is when
    the edits endpoint takes its type and size, else re-encoded as PNG. CPU work for
    large images: run it in a thread.

    Raises: ProviderPermanent (not a readable image).
    """
    parts = []
    for index, reference in enumerate(references):
        data, mime = reference.data, sniff_image_mime(reference.data)
        if mime not in EDIT_MIMES or len(data) > MAX_EDIT_IMAGE_BYTES:
            data, mime = _as_png(data), "image/png"
        parts.append(("image[]", (f"reference-{index + 1}.{EDIT_MIMES[mime]}", data, mime)))
    return parts


def _as_png(data: bytes) -> bytes:
    try:
        with Image.open(io.BytesIO(data)) as image:
            out = io.BytesIO()
            image.save(out, format="PNG")
    except Exception as exc:
        raise ProviderPermanent(reason="a reference image could not be read") from exc
    if len(out.getvalue()) > MAX_EDIT_IMAGE_BYTES:
        raise ProviderPermanent(reason="a reference image is too large for openai edits")
    return out.getvalue()
