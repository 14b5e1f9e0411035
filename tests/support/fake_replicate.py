"""A loopback fake of the Replicate predictions API (providers.md §2 and §10).

Routes (under ``/v1``, so the provider's base URL is ``<server>/v1``):
``POST /v1/models/{owner}/{name}/predictions``, ``POST /v1/predictions`` (with ``version``),
``GET /v1/predictions/{id}``, ``POST /v1/predictions/{id}/cancel``, and the output files at
``GET /files/{id}/{n}.png`` (no auth, like replicate.delivery). Every ``/v1`` route wants
``Authorization: Bearer <token>``, else 401 with a problem-details body.

Behaviour per request, by markers in ``input.prompt``:
    [poll]    ``Prefer: wait`` runs out: create answers "starting" (as without the header)
    [slow]    never finishes (stays "processing")
    [refuse]  fails with FLUX's NSFW error string
    [fail]    fails with an ordinary model error
    [cancel]  ends "canceled"
    [partial] one output fewer than asked for (FLUX drops flagged outputs silently)
    [junk]    output URLs serve bytes that are not an image
    [429]     create → 429 with ``detail`` and ``retry_after`` (12 s)
    [429d]    create → 429 with only ``detail`` ("resets in ~30s")
    [500]     create → 500
Polls advance ``starting → processing → <terminal>``. Requests are kept in ``requests``.
"""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass
from typing import Any

from PIL import Image
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

NSFW_ERROR = (
    "All generated images contained NSFW content. Try running it again with a different prompt."
)
SINGLE_OUTPUT_MODELS = {"bytedance/seedream-3"}  # output is one URI string, not a list


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


def png_bytes(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color=(30, 120, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


def _problem(status: int, title: str, detail: str, **extra: Any) -> JSONResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    return JSONResponse(body, status_code=status, media_type="application/problem+json")


class FakeReplicate(Starlette):
    def __init__(self, *, token: str = "r8_test_token") -> None:
        super().__init__(
            routes=[
                Route("/v1/models/{owner}/{name}/predictions", self._create, methods=["POST"]),
                Route("/v1/predictions", self._create, methods=["POST"]),
                Route("/v1/predictions/{pid}", self._get, methods=["GET"]),
                Route("/v1/predictions/{pid}/cancel", self._cancel, methods=["POST"]),
                Route("/files/{pid}/{file}", self._file, methods=["GET"]),
            ]
        )
        self.token = token
        self.requests: list[Recorded] = []
        self.predictions: dict[str, dict[str, Any]] = {}
        self._polls: dict[str, int] = {}

    def calls(self, method: str, prefix: str = "") -> list[Recorded]:
        return [r for r in self.requests if r.method == method and r.path.startswith(prefix)]

    async def _record(self, request: Request) -> Recorded:
        raw = await request.body()
        try:
            body = await request.json() if raw else None
        except ValueError:
            body = raw
        entry = Recorded(request.method, request.url.path, dict(request.headers), body)
        self.requests.append(entry)
        return entry

    def _authorized(self, request: Request) -> bool:
        return request.headers.get("authorization") == f"Bearer {self.token}"

    async def _create(self, request: Request) -> Response:
        entry = await self._record(request)
        if not self._authorized(request):
            return _problem(401, "Unauthenticated", "You did not pass a valid authentication token")
        body = entry.body if isinstance(entry.body, dict) else {}
        model_input, version = body.get("input"), body.get("version")
        if "owner" in request.path_params:
            model = f"{request.path_params['owner']}/{request.path_params['name']}"
        elif isinstance(version, str) and version:
            model = "community/model"
        else:
            return _problem(422, "Invalid version", "version is required")
        if not isinstance(model_input, dict) or not isinstance(model_input.get("prompt"), str):
            return _problem(422, "Input validation failed", "input.prompt is required")
        prompt = model_input["prompt"]
        if "[429]" in prompt:
            detail = "Request was throttled. Your rate limit resets in ~12s."
            return _problem(429, "Request was throttled.", detail, retry_after=12)
        if "[429d]" in prompt:
            detail = "Request was throttled. Your rate limit resets in ~30s."
            return _problem(429, "Request was throttled.", detail)
        if "[500]" in prompt:
            return _problem(500, "Internal Server Error", "Something went wrong")
        pid = uuid.uuid4().hex[:26]
        base = str(request.base_url).rstrip("/")
        prediction: dict[str, Any] = {
            "id": pid,
            "model": model,
            "version": version or "official",
            "input": model_input,
            "logs": "",
            "output": None,
            "error": None,
            "status": "starting",
            "data_removed": False,
            "created_at": "2026-11-26T12:00:00.000Z",
            "urls": {
                "get": f"{base}/v1/predictions/{pid}",
                "cancel": f"{base}/v1/predictions/{pid}/cancel",
                "stream": f"{base}/v1/stream/{pid}",
            },
        }
        self.predictions[pid] = prediction
        self._polls[pid] = 0
        prefer = request.headers.get("prefer", "")
        if prefer.startswith("wait") and "[poll]" not in prompt and "[slow]" not in prompt:
            self._finish(prediction, base)
        return JSONResponse(prediction, status_code=201)

    async def _get(self, request: Request) -> Response:
        await self._record(request)
        if not self._authorized(request):
            return _problem(401, "Unauthenticated", "You did not pass a valid authentication token")
        prediction = self.predictions.get(request.path_params["pid"])
        if prediction is None:
            return _problem(404, "Not found", "The requested resource could not be found")
        if prediction["status"] in ("starting", "processing"):
            self._polls[prediction["id"]] += 1
            if self._polls[prediction["id"]] == 1 or "[slow]" in prediction["input"]["prompt"]:
                prediction["status"] = "processing"
            else:
                self._finish(prediction, str(request.base_url).rstrip("/"))
        return JSONResponse(prediction)

    async def _cancel(self, request: Request) -> Response:
        await self._record(request)
        if not self._authorized(request):
            return _problem(401, "Unauthenticated", "You did not pass a valid authentication token")
        prediction = self.predictions.get(request.path_params["pid"])
        if prediction is None:
            return _problem(404, "Not found", "The requested resource could not be found")
        if prediction["status"] in ("starting", "processing"):
            prediction["status"] = "canceled"
        return JSONResponse(prediction)

    async def _file(self, request: Request) -> Response:
        await self._record(request)
        pid, file = request.path_params["pid"], request.path_params["file"]
        prediction = self.predictions.get(pid)
        if prediction is None:
            return Response("not found", status_code=404)
        if not file.endswith(".png"):
            return Response(b"<html>this is not an image</html>", media_type="image/png")
        a, _, b = str(prediction["input"].get("aspect_ratio", "1:1")).partition(":")
        width, height = (int(a) * 8, int(b) * 8) if a.isdigit() and b.isdigit() else (8, 8)
        return Response(png_bytes(width, height), media_type="image/png")

    def _finish(self, prediction: dict[str, Any], base: str) -> None:
        prompt = prediction["input"]["prompt"]
        if "[refuse]" in prompt:
            prediction.update(status="failed", error=NSFW_ERROR)
        elif "[fail]" in prompt:
            prediction.update(status="failed", error="CUDA error: out of memory")
        elif "[cancel]" in prompt:
            prediction.update(status="canceled")
        else:
            count = int(prediction["input"].get("num_outputs", 1))
            if "[partial]" in prompt:
                count -= 1
            ext = "txt" if "[junk]" in prompt else "png"
            urls = [f"{base}/files/{prediction['id']}/out-{i}.{ext}" for i in range(count)]
            output: Any = urls[0] if prediction["model"] in SINGLE_OUTPUT_MODELS else urls
            prediction.update(status="succeeded", output=output)
            prediction["metrics"] = {"predict_time": 0.9, "total_time": 1.1}
        prediction["completed_at"] = "2026-11-26T12:00:01.000Z"
