"""/media/ links served by a real uvicorn server and fetched over HTTP."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
from PIL import Image
from starlette.applications import Starlette

from adapters.web.media import media_route
from core.storage.local import LocalObjectStore
from tests.support.servers import serve_asgi

SECRET = b"integration-test-signing-secret-0123"


class FakeClock:
    def __init__(self, now_s: float) -> None:
        self.now_s = now_s

    def __call__(self) -> float:
        return self.now_s


def make_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), color=(200, 30, 90)).save(buffer, format="PNG")
    return buffer.getvalue()


def with_query(url: str, **changes: str) -> str:
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    query.update(changes)
    return parts._replace(query=urlencode(query)).geturl()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(now_s=1_700_000_000.0)


@pytest.fixture
async def served(tmp_path: Path, clock: FakeClock) -> AsyncIterator[LocalObjectStore]:
    """A store whose links point at a live uvicorn server serving its media route."""
    app = Starlette()
    async with serve_asgi(app) as base_url:
        # The origin is only known once the server listens, so the store (and the route
        # built from it) is added to the already-running app. Starlette's router reads
        # its route list on every request.
        store = LocalObjectStore(
            tmp_path / "media", public_base_url=base_url, signing_secret=SECRET, clock=clock
        )
        app.router.routes.append(media_route(store))
        yield store


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=10.0) as client:
        yield client


async def test_valid_link_serves_the_png(served: LocalObjectStore, http: httpx.AsyncClient) -> None:
    png = make_png()
    await served.put("images/12/5f3a.png", png, "image/png")
    url = await served.url("images/12/5f3a.png", expires_s=300)

    response = await http.get(url)

    assert response.status_code == 200
    assert response.content == png
    assert response.headers["content-type"] == "image/png"
    assert response.headers["cache-control"] == "private, max-age=300"


async def test_tampered_signature_is_forbidden(
    served: LocalObjectStore, http: httpx.AsyncClient
) -> None:
    await served.put("images/1/a.png", make_png(), "image/png")
    url = await served.url("images/1/a.png", expires_s=300)
    sig = parse_qs(urlsplit(url).query)["sig"][0]
    forged = with_query(url, sig=("0" if sig[0] != "0" else "1") + sig[1:])

    response = await http.get(forged)

    assert response.status_code == 403
    assert response.headers["content-type"].startswith("text/plain")
    assert b"PNG" not in response.content


async def test_signature_for_one_key_does_not_open_another(
    served: LocalObjectStore, http: httpx.AsyncClient
) -> None:
    await served.put("images/1/a.png", make_png(), "image/png")
    await served.put("images/1/secret.png", make_png(), "image/png")
    url = await served.url("images/1/a.png", expires_s=300)

    response = await http.get(url.replace("/a.png?", "/secret.png?"))

    assert response.status_code == 403


async def test_expired_link_is_forbidden(
    served: LocalObjectStore, http: httpx.AsyncClient, clock: FakeClock
) -> None:
    await served.put("images/1/a.png", make_png(), "image/png")
    url = await served.url("images/1/a.png", expires_s=60)
    clock.now_s += 61

    response = await http.get(url)

    assert response.status_code == 403


async def test_missing_query_params_are_forbidden(
    served: LocalObjectStore, http: httpx.AsyncClient
) -> None:
    await served.put("images/1/a.png", make_png(), "image/png")
    url = await served.url("images/1/a.png", expires_s=60)

    response = await http.get(url.split("?", 1)[0])

    assert response.status_code == 403


async def test_validly_signed_missing_file_is_not_found(
    served: LocalObjectStore, http: httpx.AsyncClient
) -> None:
    url = await served.url("images/9/never-written.png", expires_s=60)

    response = await http.get(url)

    assert response.status_code == 404
    assert "Traceback" not in response.text


async def test_deleted_file_is_not_found(served: LocalObjectStore, http: httpx.AsyncClient) -> None:
    await served.put("exports/3.zip", b"PK\x05\x06" + bytes(18), "application/zip")
    url = await served.url("exports/3.zip", expires_s=60)
    assert (await http.get(url)).status_code == 200

    await served.delete_many(["exports/3.zip"])

    assert (await http.get(url)).status_code == 404
