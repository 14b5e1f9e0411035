"""ReplicateProvider: the Replicate predictions API (https://api.replicate.com/v1).

``POST /models/{owner}/{name}/predictions`` (official models) or ``POST /predictions`` with a
``version`` (``owner/name:version``), sent with ``Prefer: wait=N``; an unfinished prediction
is then polled at the ``urls.get`` the API returned until it is terminal. ``output`` is a URI
string or a list of them, downloaded at once (Replicate deletes files after an hour).
Model failures come back as HTTP 200 with ``status: "failed"`` and an ``error`` string.

Reference images go as ``image_input``, an array of URIs, on the models whose schema has
it (Seedream 4: 1-10, Seedream 4.5: 1-14; FLUX has none and is refused before any call,
so the next route is tried; Replicate would silently ignore an input its model lacks).
Each entry is our signed link (``SourceImage.url``): Replicate fetches file inputs by URL,
and its docs recommend a data URI only for files under 1 MB, less than an upload may be.
The storage's links must then be reachable from the internet (R2/S3 links are).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from core.errors import (
    ProviderError,
    ProviderPermanent,
    ProviderRateLimited,
    ProviderRefused,
    ProviderTransient,
    RouteUnsupported,
)
from core.providers.base import GeneratedImage, GenerationResult, GenerationSpec
from core.providers.capabilities import honours_seed, max_reference_images
from core.providers.common import (
    decode_base64_image,
    download_image,
    fold_negative_prompt,
    json_body,
    parse_retry_after,
    raise_for_status,
    transport_errors,
)

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]
_TERMINAL = {"succeeded", "failed", "canceled", "aborted"}
_SAFETY = re.compile(r"nsfw|safety|sensitive|flagged|content polic|moderat|\bE005\b", re.I)
_SECONDS = re.compile(r"(\d+(?:\.\d+)?)\s*(?:s\b|sec|second)", re.I)

# Per-model inputs (providers.md §2): the field for several images in one prediction;
# other models get one prediction per image. Whether a model's schema has ``seed`` is
# ``core.providers.capabilities.honours_seed``; unknown models get prompt/aspect_ratio/seed.
_COUNT_FIELD: dict[str, str] = {
    "black-forest-labs/flux-schnell": "num_outputs",
    "black-forest-labs/flux-dev": "num_outputs",
}


class ReplicateProvider:
    name = "replicate"

    def __init__(
        self,
        http: httpx.AsyncClient,
        *,
        api_key: str,
        base_url: str,
        wait_s: int = 60,
        poll_timeout_s: float = 120.0,
        sleep: Sleep = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._http = http
        self._base = base_url.rstrip("/")
        self._headers = {"Authorization": f"Bearer {api_key}"}
        self._wait_s = max(1, min(60, int(wait_s)))
        self._poll_timeout_s = poll_timeout_s
        self._sleep = sleep
        self._clock = clock

    async def generate(self, spec: GenerationSpec) -> GenerationResult:
        """Raises: ProviderRefused, ProviderRateLimited, ProviderTransient,
        RouteUnsupported (references this model cannot take), ProviderPermanent."""
        model, _, version = spec.model.partition(":")
        limit = max_reference_images(self.name, model)
        if len(spec.reference_images) > limit:
            raise RouteUnsupported(
                reason=f"replicate model {model} takes at most {limit} reference images, "
                f"not {len(spec.reference_images)}"
            )
        count_field = _COUNT_FIELD.get(model)
        base_input: dict[str, Any] = {
            "prompt": fold_negative_prompt(spec.prompt, spec.negative_prompt),
            "aspect_ratio": spec.aspect_ratio,
        }
        if spec.reference_images:
            base_input["image_input"] = [source.url for source in spec.reference_images]
        if count_field:
            inputs = [{**base_input, count_field: spec.image_count}]
        else:
            inputs = [dict(base_input) for _ in range(spec.image_count)]
        if spec.seed is not None and honours_seed(self.name, model):
            for i, item in enumerate(inputs):  # distinct seeds, else N identical pictures
                item["seed"] = spec.seed + i
        deadline = self._clock() + self._poll_timeout_s
        try:
            async with asyncio.TaskGroup() as group:
                tasks = [
                    group.create_task(self._predict(model, version, item, deadline))
                    for item in inputs
                ]
        except BaseExceptionGroup as errors:
            raise _first_provider_error(errors) from None
        images = [image for task in tasks for image in task.result()[1]]
        if len(images) < spec.image_count:  # FLUX drops flagged outputs silently
            raise ProviderRefused(
                reason=f"{spec.image_count - len(images)} of {spec.image_count} images "
                "were withheld by the safety checker"
            )
        return GenerationResult(
            images=images[: spec.image_count],
            provider_job_id=",".join(task.result()[0] for task in tasks),
        )

    async def _predict(
        self, model: str, version: str, model_input: dict[str, Any], deadline: float
    ) -> tuple[str, list[GeneratedImage]]:
        if version:
            url, body = f"{self._base}/predictions", {"version": version, "input": model_input}
        else:
            url, body = f"{self._base}/models/{model}/predictions", {"input": model_input}
        headers = {**self._headers, "Prefer": f"wait={self._wait_s}"}
        timeout = httpx.Timeout(self._wait_s + 15.0, connect=10.0)
        async with transport_errors():
            response = await self._http.post(url, json=body, headers=headers, timeout=timeout)
        prediction = self._checked(response, what="replicate create")
        delay = 0.5
        try:
            while prediction.get("status") not in _TERMINAL:
                get_url = _url(prediction, "get")  # the API's own URL, never built here
                remaining = deadline - self._clock()
                if remaining <= 0:
                    await self._cancel_quietly(prediction)
                    raise ProviderTransient(reason="replicate prediction did not finish in time")
                await self._sleep(min(delay, remaining))
                delay = min(delay * 1.5, 2.0)
                async with transport_errors():
                    response = await self._http.get(get_url, headers=self._headers)
                prediction = self._checked(response, what="replicate poll")
        except asyncio.CancelledError:  # a sibling failed or the worker gave up
            await self._cancel_quietly(prediction)
            raise
        return str(prediction.get("id") or ""), await self._outputs(prediction)

    def _checked(self, response: httpx.Response, *, what: str) -> dict[str, Any]:
        if response.status_code == 429:
            raise ProviderRateLimited(
                retry_after_s=_retry_after(response), reason=f"{what} HTTP 429"
            )
        raise_for_status(response, what=what)
        return json_body(response)

    async def _outputs(self, prediction: dict[str, Any]) -> list[GeneratedImage]:
        status, error = prediction.get("status"), str(prediction.get("error") or "").strip()
        if status == "failed":
            if _SAFETY.search(error):
                raise ProviderRefused(reason=error[:300])
            raise ProviderPermanent(reason=f"replicate prediction failed: {error[:300]}")
        if status in ("canceled", "aborted"):
            raise ProviderTransient(reason=f"replicate prediction {status}")
        metrics = prediction.get("metrics") or {}
        if isinstance(metrics, dict) and metrics.get("predict_time") is not None:
            log.debug("replicate prediction predict_time=%ss", metrics.get("predict_time"))
        output = prediction.get("output")
        uris = [output] if isinstance(output, str) else output
        if not isinstance(uris, list) or not all(isinstance(u, str) for u in uris):
            raise ProviderPermanent(reason="replicate returned an unexpected output shape")
        return [
            # no token sent with downloads: the files are on a CDN
            decode_base64_image(uri)
            if uri.startswith("data:")
            else await download_image(self._http, uri)
            for uri in uris
        ]

    async def _cancel_quietly(self, prediction: dict[str, Any]) -> None:
        """Best effort: stop paying for a prediction nobody will wait for."""
        urls = prediction.get("urls")
        cancel = urls.get("cancel") if isinstance(urls, dict) else None
        if isinstance(cancel, str) and cancel.startswith(("http://", "https://")):
            with contextlib.suppress(httpx.HTTPError):
                await self._http.post(cancel, headers=self._headers, timeout=5.0)


def _url(prediction: dict[str, Any], key: str) -> str:
    urls = prediction.get("urls")
    value = urls.get(key) if isinstance(urls, dict) else None
    if not isinstance(value, str) or not value.startswith(("http://", "https://")):
        raise ProviderPermanent(reason=f"replicate prediction has no urls.{key}")
    return value


def _retry_after(response: httpx.Response) -> float:
    """``Retry-After`` header, else ``retry_after`` in the body, else "~30s" in ``detail``."""
    if "retry-after" in response.headers or "retry-after-ms" in response.headers:
        return parse_retry_after(response.headers)
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        value = body.get("retry_after")
        if isinstance(value, int | float) and not isinstance(value, bool):
            return max(0.0, float(value))
        match = _SECONDS.search(str(body.get("detail") or ""))
        if match:
            return float(match.group(1))
    return parse_retry_after(response.headers)


def _first_provider_error(errors: BaseExceptionGroup) -> BaseException:
    """The error of the first failed prediction (the TaskGroup cancelled the others)."""
    for error in errors.exceptions:
        if isinstance(error, BaseExceptionGroup):
            error = _first_provider_error(error)
        if isinstance(error, ProviderError):
            return error
    return errors
