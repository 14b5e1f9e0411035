"""A loopback fake of the fal.ai queue API (providers.md §3 and §10).

Sources: fal-ai/fal ``projects/fal_client/src/fal_client/client.py`` (``Key`` auth, queue
URLs built from ``{owner}/{app}`` only, statuses IN_QUEUE/IN_PROGRESS/COMPLETED, error
text read from ``detail``); docs.fal.ai (queue API: 202 while queued or running, 200
when COMPLETED; model-apis/errors: 422 ``{"detail": [{"loc", "msg", "type"}]}``,
``content_policy_violation``; an unknown app is 404); the model pages' OpenAPI schemas
(``fal-ai/flux/schnell``: ``image_size`` enum or ``{width, height}``;
``fal-ai/bytedance/seedream/v4*``: ``num_images`` 1-6, total pixels within
960x960..4096x4096, ``seed``; outputs carry the ``seed`` used).
Contract tests: tests/contracts/test_provider_fal_fake.py.

Submits are validated: an unknown model id → 404; ``image_size`` not a documented enum
nor ``{width, height}`` integers, a Seedream size outside its pixel range, or
``num_images`` outside 1-6 for Seedream → 422 with ``detail[].loc`` naming the field.

Reference images (the Seedream ``…/edit`` endpoints' schema: ``image_urls``, a required
"list of URLs of input images for editing. Presently, up to 10 image inputs are allowed.
If over 10 images are sent, only the last 10 will be used"): on an edit endpoint a
missing ``image_urls`` → 422 ``missing``, one that is not a non-empty list of strings →
422; more than 10 are not refused, the fake keeps the last 10 as fal documents
(``jobs[rid]["used_image_urls"]``). The runner downloads each URL when the request runs
(a ``data:`` URI is decoded instead): one it cannot fetch or decode makes the result a 422
``file_download_error`` / ``image_load_error`` (docs.fal.ai/errors types) naming
``["body", "image_urls", i]``. Every fetch is kept in ``fetched``; the output is drawn in
the references' average colour, so a test can tell they were used. A text-to-image
endpoint has no ``image_urls`` in its schema: the fake refuses one with 422
``extra_forbidden``. That is stricter than fal is known to be (whether fal ignores an
unknown field is unconfirmed), on purpose: an endpoint that would drop the user's images
must fail loudly in tests. Reference images for tests can be served by the fake itself:
put bytes in ``refs[name]`` and use ``{base}/refs/{name}``.

Routes: ``POST /{model id}`` (submit; the id may have a sub-path), then, using only
``{owner}/{app}`` like fal: ``GET /{owner}/{app}/requests/{id}/status``,
``GET /{owner}/{app}/requests/{id}`` (result), ``PUT /{owner}/{app}/requests/{id}/cancel``;
output files at ``GET /files/{id}/{n}.png`` (no auth, like fal's CDN). The queue routes want
``Authorization: Key <key>``, else 401.

Status polls answer 202 ``IN_QUEUE`` (with ``queue_position``), 202 ``IN_PROGRESS``, then
200 ``COMPLETED``. Behaviour per request, by markers in the ``prompt``:
    [slow]     never completes        [refuse]   result → 422 content_policy_violation
    [nsfw]     every image flagged in ``has_nsfw_concepts``   [partial]  the first one flagged
    [datauri]  images as data URIs    [junk]     image URLs serve bytes that are not an image
    [429]      submit → 429 with ``Retry-After: 7``   [500]  submit → 500
Requests are kept in ``requests``; submitted jobs in ``jobs``.
"""

from __future__ import annotations

import base64
import binascii
import io
import uuid
from dataclasses import dataclass
from typing import Any

import httpx
from PIL import Image
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

REQUESTS = "/{owner}/{app}/requests/{rid}"
MODELS = (
    "fal-ai/flux/schnell",
    "fal-ai/flux/dev",
    "fal-ai/flux-pro/v1.1-ultra",
    "fal-ai/bytedance/seedream/v3/text-to-image",
    "fal-ai/bytedance/seedream/v4/text-to-image",
    "fal-ai/bytedance/seedream/v4.5/text-to-image",
    "fal-ai/bytedance/seedream/v4/edit",
    "fal-ai/bytedance/seedream/v4.5/edit",
)
EDIT_MAX_IMAGES = 10  # "up to 10 image inputs ... only the last 10 will be used"
DEFAULT_COLOUR = (200, 120, 30)
SIZE_ENUM = ("square_hd", "square", "portrait_4_3", "portrait_16_9", "landscape_4_3",
             "landscape_16_9")  # fmt: skip
SEEDREAM_PIXELS = (960 * 960, 4096 * 4096)


def _unprocessable(field: str, msg: str, type_: str = "value_error") -> JSONResponse:
    detail = [{"loc": ["body", field], "msg": msg, "type": type_}]
    return JSONResponse({"detail": detail}, status_code=422)


def _invalid_input(model: str, body: dict[str, Any]) -> JSONResponse | None:
    """fal's schema validation of the fields our client sends, or None."""
    seedream = "/seedream/" in model
    size = body.get("image_size")
    if size is not None:
        if isinstance(size, str):
            extra = ("auto", "auto_2K", "auto_4K") if seedream else ()
            if size not in SIZE_ENUM + extra:
                return _unprocessable("image_size", f"unexpected value {size!r}", "enum")
        elif isinstance(size, dict):
            w, h = size.get("width"), size.get("height")
            if not all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in (w, h)):
                return _unprocessable("image_size", "width and height must be positive integers")
            if seedream and not SEEDREAM_PIXELS[0] <= w * h <= SEEDREAM_PIXELS[1]:
                return _unprocessable(
                    "image_size", "total pixels must be within 960x960..4096x4096"
                )
        else:
            return _unprocessable("image_size", "must be an enum value or {width, height}")
    count = body.get("num_images", 1)
    if not isinstance(count, int) or isinstance(count, bool) or count < 1:
        return _unprocessable("num_images", "must be a positive integer")
    if seedream and count > 6:
        return _unprocessable("num_images", "ensure this value is less than or equal to 6")
    seed = body.get("seed")
    if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool)):
        return _unprocessable("seed", "value is not a valid integer", "int_type")
    urls = body.get("image_urls")
    if not model.endswith("/edit"):
        if urls is not None:
            return _unprocessable("image_urls", "extra inputs are not permitted", "extra_forbidden")
        return None
    if urls is None:
        return _unprocessable("image_urls", "field required", "missing")
    if not isinstance(urls, list) or not all(isinstance(u, str) for u in urls):
        return _unprocessable("image_urls", "input should be a valid list of strings", "list_type")
    if not urls:
        return _unprocessable("image_urls", "list should have at least 1 item", "too_short")
    return None


def _error_at(index: int, msg: str, type_: str) -> JSONResponse:
    detail = [{"loc": ["body", "image_urls", index], "msg": msg, "type": type_}]
    return JSONResponse({"detail": detail}, status_code=422)


async def _colour_of(url: str, fetched: list[str]) -> tuple[int, int, int] | tuple[str, str]:
    """The average colour of one input image, or ``(type, msg)`` of fal's error."""
    if url.startswith("data:"):
        header, _, encoded = url.partition(",")
        try:
            data = base64.b64decode(encoded, validate=True) if header.endswith(";base64") else b""
        except (binascii.Error, ValueError):
            data = b""
    elif url.startswith(("http://", "https://")):
        fetched.append(url)
        try:
            async with httpx.AsyncClient(timeout=10) as client:
                response = await client.get(url)
            response.raise_for_status()
        except httpx.HTTPError:
            return ("file_download_error", "Failed to download the file.")
        data = response.content
    else:
        return ("file_download_error", "Failed to download the file.")
    try:
        with Image.open(io.BytesIO(data)) as img:
            return img.convert("RGB").resize((1, 1), Image.Resampling.BOX).getpixel((0, 0))
    except OSError:
        return ("image_load_error", "Failed to load the image.")


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


def png_bytes(width: int, height: int, colour: tuple[int, int, int] = DEFAULT_COLOUR) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color=colour).save(buffer, format="PNG")
    return buffer.getvalue()


class FakeFal(Starlette):
    def __init__(self, *, key: str = "fal_test_key") -> None:
        super().__init__(
            routes=[
                Route("/files/{rid}/{file}", self._file, methods=["GET"]),
                Route("/refs/{name}", self._ref, methods=["GET"]),
                Route(REQUESTS + "/status", self._status, methods=["GET"]),
                Route(REQUESTS + "/cancel", self._cancel, methods=["PUT"]),
                Route(REQUESTS, self._result, methods=["GET"]),
                Route("/{model:path}", self._submit, methods=["POST"]),
            ]
        )
        self.key = key
        self.requests: list[Recorded] = []
        self.jobs: dict[str, dict[str, Any]] = {}
        self.refs: dict[str, bytes] = {}  # reference images served at /refs/{name}
        self.fetched: list[str] = []  # input image URLs the "runner" downloaded

    def calls(self, method: str, suffix: str = "") -> list[Recorded]:
        return [r for r in self.requests if r.method == method and r.path.endswith(suffix)]

    async def _record(self, request: Request) -> Recorded:
        raw = await request.body()
        try:
            body = await request.json() if raw else None
        except ValueError:
            body = raw
        entry = Recorded(request.method, request.url.path, dict(request.headers), body)
        self.requests.append(entry)
        return entry

    def _denied(self, request: Request) -> Response | None:
        if request.headers.get("authorization") == f"Key {self.key}":
            return None
        return JSONResponse({"detail": "Invalid API key"}, status_code=401)

    def _job(self, request: Request) -> dict[str, Any] | None:
        job = self.jobs.get(request.path_params["rid"])
        owner_app = f"{request.path_params['owner']}/{request.path_params['app']}"
        return job if job is not None and job["owner_app"] == owner_app else None

    async def _submit(self, request: Request) -> Response:
        entry = await self._record(request)
        if (denied := self._denied(request)) is not None:
            return denied
        body = entry.body if isinstance(entry.body, dict) else {}
        prompt = body.get("prompt")
        if not isinstance(prompt, str):
            detail = [{"loc": ["body", "prompt"], "msg": "field required", "type": "missing"}]
            return JSONResponse({"detail": detail}, status_code=422)
        model = request.path_params["model"].strip("/")
        if model not in MODELS:
            return JSONResponse({"detail": f"Application '{model}' not found"}, status_code=404)
        if (invalid := _invalid_input(model, body)) is not None:
            return invalid
        if "[429]" in prompt:
            return JSONResponse(
                {"detail": "Too many requests"}, status_code=429, headers={"Retry-After": "7"}
            )
        if "[500]" in prompt:
            return JSONResponse({"detail": "Internal server error"}, status_code=500)
        rid = str(uuid.uuid4())
        owner_app = "/".join(request.path_params["model"].split("/")[:2])
        url = f"{str(request.base_url).rstrip('/')}/{owner_app}/requests/{rid}"
        self.jobs[rid] = {"owner_app": owner_app, "input": body, "polls": 0, "canceled": False}
        if "image_urls" in body:  # "only the last 10 will be used"
            self.jobs[rid]["used_image_urls"] = body["image_urls"][-EDIT_MAX_IMAGES:]
        return JSONResponse(
            {
                "request_id": rid,
                "response_url": url,
                "status_url": f"{url}/status",
                "cancel_url": f"{url}/cancel",
                "status": "IN_QUEUE",
                "queue_position": 0,
            }
        )

    async def _status(self, request: Request) -> Response:
        await self._record(request)
        if (denied := self._denied(request)) is not None:
            return denied
        job = self._job(request)
        if job is None:
            return JSONResponse({"detail": "Request not found"}, status_code=404)
        rid, status_url = request.path_params["rid"], str(request.url.remove_query_params("logs"))
        response_url = status_url.removesuffix("/status")
        job["polls"] += 1
        slow = "[slow]" in job["input"]["prompt"]
        if job["polls"] == 1 or (slow and job["polls"] % 2):
            body = {"status": "IN_QUEUE", "queue_position": 1, "request_id": rid}
            return JSONResponse({**body, "response_url": response_url}, status_code=202)
        if job["polls"] == 2 or slow:
            body = {"status": "IN_PROGRESS", "logs": None, "request_id": rid}
            return JSONResponse({**body, "response_url": response_url}, status_code=202)
        body = {"status": "COMPLETED", "logs": None, "metrics": {"inference_time": 0.4}}
        return JSONResponse({**body, "request_id": rid, "response_url": response_url})

    async def _result(self, request: Request) -> Response:
        await self._record(request)
        if (denied := self._denied(request)) is not None:
            return denied
        job = self._job(request)
        if job is None:
            return JSONResponse({"detail": "Request not found"}, status_code=404)
        if job["polls"] < 3 or "[slow]" in job["input"]["prompt"]:
            return JSONResponse({"detail": "Request is still in progress"}, status_code=400)
        model_input, rid = job["input"], request.path_params["rid"]
        prompt = model_input["prompt"]
        if "[refuse]" in prompt:
            item = {
                "loc": ["body", "prompt"],
                "msg": "The content was flagged by a content checker.",
                "type": "content_policy_violation",
                "categories": ["sexual"],
            }
            return JSONResponse(
                {"detail": [item]}, status_code=422, headers={"X-Fal-Retryable": "false"}
            )
        colours = []
        for index, url in enumerate(job.get("used_image_urls", [])):  # the runner fetches
            colour = await _colour_of(url, self.fetched)
            if isinstance(colour[0], str):
                return _error_at(index, str(colour[1]), str(colour[0]))
            colours.append(colour)
        if colours:
            job["colour"] = tuple(
                round(sum(c[i] for c in colours) / len(colours)) for i in range(3)
            )
        size = model_input.get("image_size")
        width, height = (size["width"], size["height"]) if isinstance(size, dict) else (64, 48)
        count = int(model_input.get("num_images", 1))
        base = str(request.base_url).rstrip("/")
        ext = "txt" if "[junk]" in prompt else "png"
        images = []
        for i in range(count):
            url = f"{base}/files/{rid}/out-{i}.{ext}"
            if "[datauri]" in prompt:
                data = png_bytes(width, height, job.get("colour", DEFAULT_COLOUR))
                url = "data:image/png;base64," + base64.b64encode(data).decode()
            images.append(
                {"url": url, "width": width, "height": height, "content_type": "image/png"}
            )
        flags = [("[nsfw]" in prompt) or ("[partial]" in prompt and i == 0) for i in range(count)]
        return JSONResponse(
            {
                "images": images,
                "timings": {"inference": 0.4},
                "seed": model_input.get("seed", 42),
                "has_nsfw_concepts": flags,
                "prompt": prompt,
            }
        )

    async def _cancel(self, request: Request) -> Response:
        await self._record(request)
        if (denied := self._denied(request)) is not None:
            return denied
        job = self._job(request)
        if job is None:
            return JSONResponse({"status": "NOT_FOUND"}, status_code=404)
        if job["polls"] >= 3 and "[slow]" not in job["input"]["prompt"]:
            return JSONResponse({"status": "ALREADY_COMPLETED"}, status_code=400)
        job["canceled"] = True
        return JSONResponse({"status": "CANCELLATION_REQUESTED"}, status_code=202)

    async def _file(self, request: Request) -> Response:
        await self._record(request)
        job = self.jobs.get(request.path_params["rid"])
        if job is None:
            return Response("not found", status_code=404)
        if not request.path_params["file"].endswith(".png"):
            return Response(b"<html>this is not an image</html>", media_type="image/png")
        size = job["input"].get("image_size")
        width, height = (size["width"], size["height"]) if isinstance(size, dict) else (64, 48)
        colour = job.get("colour", DEFAULT_COLOUR)
        return Response(png_bytes(width, height, colour), media_type="image/png")

    async def _ref(self, request: Request) -> Response:
        data = self.refs.get(request.path_params["name"])
        if data is None:
            return Response("not found", status_code=404)
        return Response(data, media_type="image/png")
