"""A loopback fake of the fal.ai queue API (providers.md §3 and §10).

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
import io
import uuid
from dataclasses import dataclass
from typing import Any

from PIL import Image
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

REQUESTS = "/{owner}/{app}/requests/{rid}"


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


def png_bytes(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color=(200, 120, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


class FakeFal(Starlette):
    def __init__(self, *, key: str = "fal_test_key") -> None:
        super().__init__(
            routes=[
                Route("/files/{rid}/{file}", self._file, methods=["GET"]),
                Route(REQUESTS + "/status", self._status, methods=["GET"]),
                Route(REQUESTS + "/cancel", self._cancel, methods=["PUT"]),
                Route(REQUESTS, self._result, methods=["GET"]),
                Route("/{model:path}", self._submit, methods=["POST"]),
            ]
        )
        self.key = key
        self.requests: list[Recorded] = []
        self.jobs: dict[str, dict[str, Any]] = {}

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
        size = model_input.get("image_size")
        width, height = (size["width"], size["height"]) if isinstance(size, dict) else (64, 48)
        count = int(model_input.get("num_images", 1))
        base = str(request.base_url).rstrip("/")
        ext = "txt" if "[junk]" in prompt else "png"
        images = []
        for i in range(count):
            url = f"{base}/files/{rid}/out-{i}.{ext}"
            if "[datauri]" in prompt:
                url = "data:image/png;base64," + base64.b64encode(png_bytes(width, height)).decode()
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
        return Response(png_bytes(width, height), media_type="image/png")
