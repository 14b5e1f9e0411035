"""FalProvider: the fal.ai queue API (https://queue.fal.run, ``Authorization: Key <key>``).

``POST {queue}/{model id}`` with the model input as the body returns absolute ``status_url``,
``response_url`` and ``cancel_url`` (only ``owner/app`` in their path, so they are used as
given, never built). ``GET status_url`` answers 202 while ``IN_QUEUE``/``IN_PROGRESS`` and
200 once ``COMPLETED``; ``GET response_url`` then yields the output (``images[].url``) or the
model's error. Moderation: 422 with ``detail[].type == "content_policy_violation"``, or
FLUX's ``has_nsfw_concepts`` flags on an otherwise successful result.

Reference images: a request with ``spec.reference_images`` is sent to the route's edit
endpoint (the catalogue's ``edit_model``, e.g. ``fal-ai/bytedance/seedream/v4.5/edit``;
``spec.model`` is already that id) with ``image_urls``, one per reference, in order. The
Seedream edit endpoints take up to 10 ("if over 10 images are sent, only the last 10 will
be used": more are refused here, so nothing is dropped silently) and keep ``image_size``,
``num_images``, ``seed`` and ``enable_safety_checker``. Each entry is our signed link
(``SourceImage.url``), not a data URI: fal documents URLs as the file input every model
takes ("some models also accept data URIs"), its runner downloads the file, and a link
keeps a queued request small however large the images. The storage's links must then be
reachable from the internet (R2/S3 presigned or public links are); when fal cannot
download one (422 ``file_download_error``) the next route is tried. An endpoint that takes
no images (a text-to-image endpoint without an edit model, FLUX schnell) is refused before
any call, so the next route is tried.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from core.errors import ProviderPermanent, ProviderRefused, ProviderTransient, RouteUnsupported
from core.providers.base import GeneratedImage, GenerationResult, GenerationSpec
from core.providers.common import (
    decode_base64_image,
    download_image,
    fold_negative_prompt,
    json_body,
    raise_for_status,
    transport_errors,
)

Sleep = Callable[[float], Awaitable[None]]
_WAITING = {"IN_QUEUE", "IN_PROGRESS"}
# Models that take an ``aspect_ratio`` enum instead of ``image_size`` (unconfirmed list);
# every other model gets ``image_size: {"width", "height"}`` (FLUX, Seedream v3/v4).
_ASPECT_RATIO_MODELS = {"fal-ai/flux-pro/v1.1-ultra"}
# ``image_urls`` on the Seedream edit endpoints (fal-ai/bytedance/seedream/v4/edit, v4.5/edit,
# v5/lite/edit): "Presently, up to 10 image inputs are allowed" (each endpoint's schema).
EDIT_MAX_REFERENCE_IMAGES = 10


def fal_reference_limit(model: str) -> int:
    """How many ``image_urls`` the fal endpoint ``model`` takes (0: it takes no images)."""
    model = model.strip("/")
    if "/seedream/" in model and model.endswith("/edit"):
        return EDIT_MAX_REFERENCE_IMAGES
    return 0


class FalProvider:
    name = "fal"

    def __init__(
        self,
        http: httpx.AsyncClient,
        *,
        api_key: str,
        base_url: str,
        sync_url: str = "https://fal.run",
        poll_timeout_s: float = 120.0,
        sleep: Sleep = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._http = http
        self._queue = base_url.rstrip("/")
        # The synchronous host is kept for configuration symmetry; the queue flow is used
        # because fal retries queued requests itself and they survive a dropped connection.
        self.sync_url = sync_url.rstrip("/")
        self._headers = {"Authorization": f"Key {api_key}"}
        self._poll_timeout_s = poll_timeout_s
        self._sleep = sleep
        self._clock = clock

    async def generate(self, spec: GenerationSpec) -> GenerationResult:
        """Raises: ProviderRefused, ProviderRateLimited, ProviderTransient,
        RouteUnsupported (references this endpoint cannot take), ProviderPermanent."""
        deadline = self._clock() + self._poll_timeout_s
        model = spec.model.strip("/")
        limit = fal_reference_limit(model)
        if len(spec.reference_images) > limit:
            raise RouteUnsupported(
                reason=f"fal endpoint {model} takes at most {limit} reference images, "
                f"not {len(spec.reference_images)}"
            )
        async with transport_errors():
            response = await self._http.post(
                f"{self._queue}/{model}", json=_input(spec, model), headers=self._headers
            )
        submitted = _checked(response, what="fal submit")
        status_url, response_url = _url(submitted, "status_url"), _url(submitted, "response_url")
        cancel_url = submitted.get("cancel_url")
        delay = 0.5
        try:
            while await self._waiting(status_url):
                remaining = deadline - self._clock()
                if remaining <= 0:
                    await self._cancel_quietly(cancel_url)
                    raise ProviderTransient(reason="fal request did not finish in time")
                await self._sleep(min(delay, remaining))
                delay = min(delay * 1.5, 2.0)
        except asyncio.CancelledError:  # the worker gave up: free the queue slot
            await self._cancel_quietly(cancel_url)
            raise
        async with transport_errors():
            response = await self._http.get(response_url, headers=self._headers)
        output = _checked(response, what="fal result")
        images = await self._images(output, spec.image_count)
        request_id = submitted.get("request_id")
        seed = output.get("seed")  # the seed fal drew with, asked for or its own
        return GenerationResult(
            images=images,
            provider_job_id=str(request_id or "") or None,
            seed=seed if isinstance(seed, int) and not isinstance(seed, bool) else None,
        )

    async def _waiting(self, status_url: str) -> bool:
        """True while queued or running, False once COMPLETED."""
        async with transport_errors():
            response = await self._http.get(status_url, headers=self._headers)
        status = _checked(response, what="fal status").get("status")
        if status in _WAITING:
            return True
        if status == "COMPLETED":
            return False
        raise ProviderPermanent(reason=f"fal returned an unknown status {status!r}")

    async def _images(self, output: dict[str, Any], count: int) -> list[GeneratedImage]:
        items = output.get("images")
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise ProviderPermanent(reason="fal returned an unexpected output shape")
        flags = output.get("has_nsfw_concepts")
        if isinstance(flags, list) and flags and all(flag is True for flag in flags):
            raise ProviderRefused(reason="all images were flagged by the safety checker")
        if isinstance(flags, list) and len(flags) == len(items):
            items = [item for item, flag in zip(items, flags, strict=True) if flag is not True]
        if len(items) < count:
            raise ProviderRefused(
                reason=f"{count - len(items)} of {count} images were withheld by the safety "
                "checker or missing"
            )
        images = []
        for item in items[:count]:
            url = item.get("url")
            if not isinstance(url, str):
                raise ProviderPermanent(reason="fal returned an image without a url")
            if url.startswith("data:"):
                images.append(decode_base64_image(url))
            else:  # fal CDN files need no key, and it is not sent to them
                images.append(await download_image(self._http, url))
        return images

    async def _cancel_quietly(self, cancel_url: object) -> None:
        """Best effort ``PUT cancel_url``: a queued request then costs nothing."""
        if isinstance(cancel_url, str) and cancel_url.startswith(("http://", "https://")):
            with contextlib.suppress(httpx.HTTPError):
                await self._http.put(cancel_url, headers=self._headers, timeout=5.0)


def _input(spec: GenerationSpec, model: str) -> dict[str, Any]:
    body: dict[str, Any] = {
        "prompt": fold_negative_prompt(spec.prompt, spec.negative_prompt),
        "num_images": spec.image_count,
        "enable_safety_checker": True,
    }
    if model in _ASPECT_RATIO_MODELS:
        body["aspect_ratio"] = spec.aspect_ratio
    else:
        body["image_size"] = {"width": spec.width, "height": spec.height}
    if spec.seed is not None:
        body["seed"] = spec.seed
    if spec.reference_images:
        body["image_urls"] = [source.url for source in spec.reference_images]
    return body


def _checked(response: httpx.Response, *, what: str) -> dict[str, Any]:
    """The JSON body of a 2xx; fal's moderation 422 → ProviderRefused; a reference image
    fal could not download → RouteUnsupported (says nothing about the prompt, and a route
    that takes images inline may serve: e.g. storage links fal cannot reach); else the
    common mapping."""
    if 400 <= response.status_code < 500:
        try:
            detail = response.json().get("detail")
        except (ValueError, AttributeError):
            detail = None
        for item in detail if isinstance(detail, list) else []:
            if isinstance(item, dict) and item.get("type") == "content_policy_violation":
                ctx = item.get("ctx")
                categories = item.get("categories") or (
                    ctx.get("categories") if isinstance(ctx, dict) else None
                )
                reason = str(item.get("msg") or "content policy violation")
                if isinstance(categories, list) and categories:
                    reason += f" ({', '.join(map(str, categories))})"
                raise ProviderRefused(reason=reason[:300])
            if isinstance(item, dict) and item.get("type") == "file_download_error":
                raise RouteUnsupported(reason=f"{what}: fal could not download an input image")
    raise_for_status(response, what=what)
    return json_body(response)


def _url(body: dict[str, Any], key: str) -> str:
    value = body.get(key)
    if not isinstance(value, str) or not value.startswith(("http://", "https://")):
        raise ProviderPermanent(reason=f"fal submit response has no absolute {key}")
    return value
