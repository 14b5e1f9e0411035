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

Reference images: ``image_input`` (bytedance/seedream-4: "List of 1-10 images",
bytedance/seedream-4.5: "List of 1-14 images"; type ``array`` of URIs) is a list of
strings, else 422. The schema sets no maximum, so more than the model's count is not a
422: the prediction runs and fails (``status: failed`` with an ``error``; the wording is
the fake's). Replicate fetches file inputs when the prediction starts: each URL is
downloaded (kept in ``fetched``; a ``data:`` URI is decoded, which Replicate accepts for
small files), and one it cannot fetch or read fails the prediction. The outputs are drawn
in the references' average colour, so a test can tell they were used. A model whose
schema has no ``image_input`` (FLUX) gets a 422 for it: stricter than Replicate (a Cog
model ignores inputs it does not declare: cog's ``BaseInput`` does not forbid extra
fields), on purpose, so a client that would have the user's images silently dropped fails
loudly in tests. Reference images for tests can be served by the fake: put bytes in
``refs[name]`` and use ``{server}/refs/{name}``.

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
    "bytedance/seedream-4": {"aspect_ratio": _SEEDREAM_RATIOS, "image_input": 10},
    "bytedance/seedream-4.5": {"aspect_ratio": _SEEDREAM_RATIOS, "image_input": 14},
}
DEFAULT_COLOUR = (30, 120, 200)


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
    images = model_input.get("image_input")
    if images is not None and not schema.get("image_input"):
        invalid.append(("image_input", "Additional property image_input is not allowed"))
    elif images is not None and (
        not isinstance(images, list) or not all(isinstance(i, str) for i in images)
    ):
        invalid.append(("image_input", "image_input must be an array of URIs"))
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


def png_bytes(width: int, height: int, colour: tuple[int, int, int] = DEFAULT_COLOUR) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color=colour).save(buffer, format="PNG")
    return buffer.getvalue()


async def _colour_of(uri: str, fetched: list[str]) -> tuple[int, int, int] | None:
    """The average colour of one input file, or None when it cannot be fetched or read."""
    if uri.startswith("data:"):
        header, _, encoded = uri.partition(",")
        try:
            data = base64.b64decode(encoded, validate=True) if header.endswith(";base64") else b""
        except (binascii.Error, ValueError):
            return None
    elif uri.startswith(("http://", "https://")):
        fetched.append(uri)
        try:
            async with httpx.AsyncClient(timeout=10) as client:
                response = await client.get(uri)
            response.raise_for_status()
        except httpx.HTTPError:
            return None
        data = response.content
    else:
        return None
    try:
        with Image.open(io.BytesIO(data)) as img:
            return img.convert("RGB").resize((1, 1), Image.Resampling.BOX).getpixel((0, 0))
    except OSError:
        return None


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
                Route("/refs/{name}", self._ref, methods=["GET"]),
            ]
        )
        self.token = token
        self.requests: list[Recorded] = []
        self.predictions: dict[str, dict[str, Any]] = {}
        self._polls: dict[str, int] = {}
        self.refs: dict[str, bytes] = {}  # reference images served at /refs/{name}
        self.fetched: list[str] = []  # input file URLs fetched at prediction start
        # Per prediction: the inputs' average colour, or why the prediction must fail.
        self._inputs: dict[str, tuple[int, int, int] | str] = {}

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
        self._inputs[pid] = await self._load_inputs(model, model_input)
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

    async def _load_inputs(
        self, model: str, model_input: dict[str, Any]
    ) -> tuple[int, int, int] | str:
        images = model_input.get("image_input") or []
        limit = SCHEMAS.get(model, {}).get("image_input", 0)
        if len(images) > limit:
            return f"image_input: at most {limit} images are supported, got {len(images)}"
        colours = []
        for uri in images:
            colour = await _colour_of(uri, self.fetched)
            if colour is None:
                return f"Failed to fetch or read input file {uri[:60]}"
            colours.append(colour)
        if not colours:
            return DEFAULT_COLOUR
        r, g, b = (round(sum(c[i] for c in colours) / len(colours)) for i in range(3))
        return (r, g, b)

    async def _ref(self, request: Request) -> Response:
        data = self.refs.get(request.path_params["name"])
        if data is None:
            return Response("not found", status_code=404)
        return Response(data, media_type="image/png")

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
        colour = self._inputs.get(pid, DEFAULT_COLOUR)
        colour = colour if isinstance(colour, tuple) else DEFAULT_COLOUR
        return Response(png_bytes(width, height, colour), media_type="image/png")

    def _finish(self, prediction: dict[str, Any], base: str) -> None:
        prompt = prediction["input"]["prompt"]
        inputs = self._inputs.get(prediction["id"])
        if isinstance(inputs, str):  # an input file the model could not take
            prediction.update(status="failed", error=inputs)
        elif "[refuse]" in prompt:
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
