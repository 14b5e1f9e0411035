"""Issue 16: the shipped Seedream model offers variations, and a variation works end to
end through its fal and Replicate routes (the real provider modules over real HTTP to
their fakes, the worker, storage and signed links): the source goes as our signed link,
which the service fetches from our web server; on fal the request goes to the route's
edit endpoint, the plain job to text-to-image. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from dataclasses import replace

import httpx
import pytest
from sqlalchemy import select

from adapters.web.app import create_web_app
from bot.bootstrap import bootstrap
from core.catalog import load_catalog
from core.db.tables import jobs
from core.types import Actor, ImagineRequest
from tests.conftest import unique_user
from tests.integration.test_provider_pipeline import (
    TARGET,
    Fake,
    _configured,
    _make_fake,
    _providers_with_fast_polling,
    _VirtualTime,
)
from tests.integration.test_variations_ark import _LateApp
from tests.support.fakes import RecordingDelivery
from tests.support.servers import serve_asgi

FAL_T2I = "fal-ai/bytedance/seedream/v4.5/text-to-image"
FAL_EDIT = "fal-ai/bytedance/seedream/v4.5/edit"


@pytest.fixture(autouse=True)
def _no_provider_keys_from_env(monkeypatch):
    for name in ("FAL_KEY", "REPLICATE_API_TOKEN", "ARK_API_KEY", "OPENROUTER_API_KEY"):
        monkeypatch.delenv(name, raising=False)


def _seedream_on(provider: str):
    """The shipped Seedream model with only its ``provider`` route (edit model kept)."""
    catalog = load_catalog()
    shipped = catalog.models["seedream"]
    routes = tuple(r for r in shipped.routes if r.startswith(f"{provider}:"))
    model = replace(shipped, id="seedream-one", routes=routes)
    return replace(catalog, models={**catalog.models, model.id: model})


@pytest.fixture(params=["fal", "replicate"])
async def stand(request, settings, engine) -> AsyncIterator:
    fake: Fake = _make_fake(request.param)
    web = _LateApp()
    async with AsyncExitStack() as stack:
        fake_url = await stack.enter_async_context(serve_asgi(fake.app))
        web_url = await stack.enter_async_context(serve_asgi(web, lifespan="off"))
        configured = _configured(settings, **fake.settings_for(fake_url), public_base_url=web_url)
        http = await stack.enter_async_context(httpx.AsyncClient(timeout=30.0))
        app = await stack.enter_async_context(
            bootstrap(
                configured,
                engine=engine,
                migrate=False,
                providers=_providers_with_fast_polling(http, configured, _VirtualTime()),
                catalog=_seedream_on(request.param),
            )
        )
        web.target = create_web_app(app)
        delivered = RecordingDelivery()
        app.events.register("test", delivered)
        yield request.param, app, fake, delivered, web_url


def _generation_inputs(name: str, fake: Fake) -> list[tuple[str, dict]]:
    """(path, model input) of each generation request the fake received."""
    if name == "fal":
        return [(r.path, r.body) for r in fake.generation_requests()]
    return [(r.path, r.body["input"]) for r in fake.generation_requests()]


async def test_a_variation_of_the_shipped_seedream_goes_as_our_signed_link(stand):
    name, app, fake, delivered, web_url = stand
    assert app.catalog.models["seedream-one"].variations  # every route takes an image
    actor = Actor("test", unique_user(), locale="en")
    await app.core.accept_terms(actor, age_confirmed=True)
    first = await app.core.imagine(actor, ImagineRequest("a paper boat", "seedream-one"), TARGET)
    await app.worker.run(burst=True)
    (source,) = (await delivered.wait_for(first.job_id, "finished")).images
    assert source.url.startswith(web_url)

    variation = await app.core.vary(actor, source.image_id, TARGET)
    await app.worker.run(burst=True)
    done = await delivered.wait_for(variation.job_id, "finished")
    assert len(done.images) == 1 and done.can_vary

    (plain, varied) = _generation_inputs(name, fake)
    field = "image_urls" if name == "fal" else "image_input"
    assert field not in plain[1]
    (link,) = varied[1][field]
    assert link.startswith(f"{web_url}/media/") and "sig=" in link  # our signed link
    assert fake.app.fetched == [link]  # the service fetched it from our web server
    if name == "fal":
        assert (plain[0], varied[0]) == (f"/{FAL_T2I}", f"/{FAL_EDIT}")
    async with app.uow() as uow:
        row = (await uow.conn.execute(select(jobs).where(jobs.c.id == variation.job_id))).one()
    assert (row.status, row.source_image_id) == ("succeeded", source.image_id)
    assert row.provider_route == app.catalog.models["seedream-one"].routes[0]
