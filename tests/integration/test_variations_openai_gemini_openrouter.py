"""A variation of a GPT Image or Gemini image result through the real provider modules,
end to end over real HTTP: the worker loads the source image and each service gets it
the way its API takes it (OpenAI: a multipart part to image edits; Gemini: an inline
image part; OpenRouter: a base64 data URL), never as a link to our storage. Runs on
SQLite and PostgreSQL."""

from __future__ import annotations

import base64
import io
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from dataclasses import replace

import pytest
from PIL import Image
from pydantic import SecretStr
from sqlalchemy import select

from adapters.web.app import create_web_app
from bot.bootstrap import bootstrap
from core.catalog import load_catalog
from core.db.tables import jobs
from core.types import Actor, ImagineRequest, ReplyTarget
from tests.conftest import unique_user
from tests.support import fake_gemini
from tests.support.fake_openai import FakeOpenAI
from tests.support.fake_openrouter import FakeOpenRouter
from tests.support.fakes import RecordingDelivery
from tests.support.servers import serve_asgi

TARGET = ReplyTarget("test", {})


class _LateApp:
    """An ASGI app bound after the server started (the web app needs the booted core,
    the core the web server's address for its signed links)."""

    target = None

    async def __call__(self, scope, receive, send) -> None:
        assert self.target is not None
        await self.target(scope, receive, send)


def _openai_sent(fake) -> bytes:
    (edit,) = fake.requests[1:]
    assert edit.path == "/v1/images/edits"
    ((field, _, mime, data),) = edit.json["image[]"]
    assert (field, mime) == ("image[]", "image/png")
    return data


def _gemini_sent(fake) -> bytes:
    (call,) = fake.state.requests[1:]
    text, image = call.body["contents"][0]["parts"]
    assert text["text"] == "a paper boat" and image["inlineData"]["mimeType"] == "image/png"
    return base64.b64decode(image["inlineData"]["data"])


def _openrouter_sent(fake) -> bytes:
    (call,) = fake.requests[1:]
    text, image = call.json["messages"][0]["content"]
    assert text == {"type": "text", "text": "a paper boat"}
    url = image["image_url"]["url"]
    assert url.startswith("data:image/png;base64,")
    return base64.b64decode(url.partition(",")[2])


SERVICES = {
    # model, route, fake, settings, api path under the fake, what the variation sent
    "openai": ("gpt-image", "openai:gpt-image-2", FakeOpenAI, "openai", "/v1", _openai_sent),
    "google": (
        "gemini-image",
        "google:gemini-3.1-flash-image",
        fake_gemini.make_app,
        "gemini",
        "/v1beta",
        _gemini_sent,
    ),
    "openrouter": (
        "gpt-image",
        "openrouter:openai/gpt-image-2",
        FakeOpenRouter,
        "openrouter",
        "/api/v1",
        _openrouter_sent,
    ),
}
KEYS = {"openai": "sk-test-openai", "gemini": fake_gemini.API_KEY, "openrouter": "sk-or-v1-test"}


@pytest.fixture(params=sorted(SERVICES))
async def stand(request, settings, engine, monkeypatch) -> AsyncIterator:
    model_id, route, make_fake, prefix, path, sent = SERVICES[request.param]
    for name in ("OPENAI_API_KEY", "GEMINI_API_KEY", "OPENROUTER_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    catalog = load_catalog()
    model = replace(catalog.models[model_id], routes=(route,), edit_models=())
    catalog = replace(catalog, models={**catalog.models, model_id: model})
    fake, web = make_fake(), _LateApp()
    async with AsyncExitStack() as stack:
        fake_url = await stack.enter_async_context(serve_asgi(fake))
        web_url = await stack.enter_async_context(serve_asgi(web, lifespan="off"))
        configured = settings.model_copy(
            update={
                f"{prefix}_api_key": SecretStr(KEYS[prefix]),
                f"{prefix}_base_url": f"{fake_url}{path}",
                "public_base_url": web_url,
            }
        )
        app = await stack.enter_async_context(
            bootstrap(configured, engine=engine, migrate=False, catalog=catalog)
        )
        web.target = create_web_app(app)
        delivered = RecordingDelivery()
        app.events.register("test", delivered)
        yield app, model_id, route, fake, sent, delivered


async def test_the_service_gets_the_source_image_itself(stand):
    app, model_id, route, fake, sent, delivered = stand
    assert app.catalog.models[model_id].variations  # every route takes an image
    actor = Actor("test", unique_user(), locale="en")
    await app.core.accept_terms(actor, age_confirmed=True)
    first = await app.core.imagine(actor, ImagineRequest("a paper boat", model_id), TARGET)
    await app.worker.run(burst=True)
    (source,) = (await delivered.wait_for(first.job_id, "finished")).images

    variation = await app.core.vary(actor, source.image_id, TARGET)
    await app.worker.run(burst=True)
    done = await delivered.wait_for(variation.job_id, "finished")
    assert len(done.images) == 1 and done.can_vary
    with Image.open(io.BytesIO(sent(fake))) as image:  # the source's own pixels
        assert image.size == (source.width, source.height)
    async with app.uow() as uow:
        row = (await uow.conn.execute(select(jobs).where(jobs.c.id == variation.job_id))).one()
    assert (row.status, row.source_image_id, row.provider_route) == (
        "succeeded",
        source.image_id,
        route,
    )
