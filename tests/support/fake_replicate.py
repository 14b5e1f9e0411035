"""A loopback fake of the Replicate predictions API (providers.md §2 and §10).

Sources: replicate.com/docs/reference/http (create a prediction for an official model,
``Prefer: wait``, get a prediction; statuses starting/processing/succeeded/failed/
canceled/aborted; ``urls.get``); replicate/replicate-python ``exceptions.py`` (errors are
RFC 7807 problem details: ``type``, ``title``, ``status``, ``detail``); the model API
pages of black-forest-labs/flux-schnell (``aspect_ratio`` enum, ``num_outputs`` 1-4,
``seed``; output a list of URIs), bytedance/seedream-3 (``seed``; output one URI) and
bytedance/seedream-4 / -4.5 (no ``seed``; output a list of URIs).
Contract tests: tests/contracts/test_provider_replicate_fake.py.

An official model the fake does not know → 404; an input the model's schema refuses (an
``aspect_ratio`` outside its enum, ``num_outputs`` outside 1-4, a non-integer ``seed``) →
422 "Input validation failed" with ``invalid_fields``.

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
_FLUX_RATIOS = ("1:1", "16:9", "21:9", "3:2", "2:3", "4:5", "5:4", "3:4", "4:3", "9:16", "9:21")
_SEEDREAM_RATIOS = ("match_input_image", "1:1", "4:3", "3:4", "16:9", "9:16", "3:2", "2:3", "21:9")
# Per official model: the allowed aspect ratios and whether num_outputs exists (1-4).
SCHEMAS: dict[str, dict[str, Any]] = {
    "black-forest-labs/flux-schnell": {"aspect_ratio": _FLUX_RATIOS, "num_outputs": True},
    "black-forest-labs/flux-dev": {"aspect_ratio": _FLUX_RATIOS, "num_outputs": True},
    "bytedance/seedream-3": {"aspect_ratio": (*_SEEDREAM_RATIOS[1:], "custom")},
    "bytedance/seedream-4": {"aspect_ratio": _SEEDREAM_RATIOS},
    "bytedance/seedream-4.5": {"aspect_ratio": _SEEDREAM_RATIOS},
}


def _invalid_input(schema: dict[str, Any], model_input: dict[str, Any]) -> Response | None:
    """Replicate's 422 for an input its schema refuses, naming the fields; else None."""
    invalid = []
    ratios = schema.get("aspect_ratio")
    if ratios and model_input.get("aspect_ratio", ratios[0]) not in ratios:
        invalid.append(("aspect_ratio", f"aspect_ratio must be one of {', '.join(ratios)}"))
    count = model_input.get("num_outputs", 1)
    if schema.get("num_outputs") and (not isinstance(count, int) or not 1 <= count <= 4):
        invalid.append(("num_outputs", "num_outputs must be between 1 and 4"))
    seed = model_input.get("seed")
    if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool)):
        invalid.append(("seed", "seed must be an integer"))
    if not invalid:
        return None
    fields = [{"type": "invalid", "field": f"input.{f}", "description": d} for f, d in invalid]
    detail = "; ".join(d for _, d in invalid)
    return _problem(422, "Input validation failed", detail, invalid_fields=fields)


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
        if "owner" in request.path_params and model not in SCHEMAS:
            return _problem(404, "Not found", "The requested resource could not be found")
        if not isinstance(model_input, dict) or not isinstance(model_input.get("prompt"), str):
            return _problem(422, "Input validation failed", "input.prompt is required")
        if (invalid := _invalid_input(SCHEMAS.get(model, {}), model_input)) is not None:
            return invalid
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
