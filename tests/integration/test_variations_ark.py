"""A variation through the real Ark provider module, end to end over real HTTP: the
worker loads the source image and hands it to Ark inline, as a Base64 data URL (Ark
cannot reach a link to local storage), and the Ark fake draws from it. Runs on SQLite
and PostgreSQL."""

from __future__ import annotations

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
from core.db.tables import jobs, uploads
from core.types import Actor, ImagineRequest, ReferenceUpload, ReplyTarget
from tests.conftest import unique_user
from tests.support import fake_ark
from tests.support.fakes import RecordingDelivery
from tests.support.servers import serve_asgi

TARGET = ReplyTarget("test", {})


class _LateApp:
    """An ASGI app bound after the server started: the web app needs the booted core,
    and the core needs the web server's address for its signed links."""

    target = None

    async def __call__(self, scope, receive, send) -> None:
        assert self.target is not None
        await self.target(scope, receive, send)


@pytest.fixture
async def stand(settings, engine, monkeypatch) -> AsyncIterator:
    monkeypatch.delenv("ARK_API_KEY", raising=False)
    catalog = load_catalog()
    model = replace(
        catalog.models["preview"], id="seedream-ark", routes=("ark:seedream-4-5-251128",)
    )
    catalog = replace(catalog, models={**catalog.models, model.id: model})
    ark, web = fake_ark.make_app(), _LateApp()
    async with AsyncExitStack() as stack:
        ark_url = await stack.enter_async_context(serve_asgi(ark))
        web_url = await stack.enter_async_context(serve_asgi(web, lifespan="off"))
        configured = settings.model_copy(
            update={
                "ark_api_key": SecretStr(fake_ark.API_KEY),
                "ark_base_url": f"{ark_url}/api/v3",
                "public_base_url": web_url,
            }
        )
        app = await stack.enter_async_context(
            bootstrap(configured, engine=engine, migrate=False, catalog=catalog)
        )
        web.target = create_web_app(app)
        delivered = RecordingDelivery()
        app.events.register("test", delivered)
        yield app, ark, delivered, web_url


async def test_ark_gets_the_source_inline_not_as_a_link(stand):
    app, ark, delivered, web_url = stand
    assert app.catalog.models["seedream-ark"].variations  # every route takes an image
    actor = Actor("test", unique_user(), locale="en")
    await app.core.accept_terms(actor, age_confirmed=True)
    first = await app.core.imagine(actor, ImagineRequest("a paper boat", "seedream-ark"), TARGET)
    await app.worker.run(burst=True)
    (source,) = (await delivered.wait_for(first.job_id, "finished")).images
    assert "image" not in ark.state.requests[0].body

    variation = await app.core.vary(actor, source.image_id, TARGET)
    await app.worker.run(burst=True)
    done = await delivered.wait_for(variation.job_id, "finished")
    assert len(done.images) == 1 and done.can_vary
    (request,) = ark.state.requests[1:]
    sent = request.body["image"]
    assert sent.startswith("data:image/png;base64,") and web_url not in sent
    assert ark.state.inline == [sent] and ark.state.fetched == []  # nothing to download
    async with app.uow() as uow:
        row = (await uow.conn.execute(select(jobs).where(jobs.c.id == variation.job_id))).one()
    assert (row.status, row.source_image_id, row.provider_route) == (
        "succeeded",
        source.image_id,
        "ark:seedream-4-5-251128",
    )


async def test_a_user_image_the_service_refuses_is_reported_like_any_refusal(stand):
    """The blocklist checks the prompt; the image goes to the provider's own moderation.
    Ark's refusal of an input image fails the job as a refusal, refunded, and the upload
    stays the user's (listed in /mydata, erased by /forgetme) like any other."""
    app, ark, delivered, _ = stand
    actor = Actor("test", unique_user(), locale="en")
    await app.core.accept_terms(actor, age_confirmed=True)
    before = (await app.core.account(actor)).balance_credits
    photo = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(photo, "JPEG")
    request = ImagineRequest(
        "a boat [refuse-image]",
        "seedream-ark",
        reference_images=(ReferenceUpload(photo.getvalue(), "boat.jpg"),),
    )
    job = await app.core.imagine(actor, request, TARGET)
    await app.worker.run(burst=True)
    failed = await delivered.wait_for(job.job_id, "failed")
    assert failed.error_key == "error.provider_refused"
    assert failed.refunded_credits == job.cost_credits
    assert (await app.core.account(actor)).balance_credits == before
    assert ark.state.requests[-1].body["image"].startswith("data:image/jpeg;base64,")
    async with app.uow() as uow:
        row = (await uow.conn.execute(select(jobs).where(jobs.c.id == job.job_id))).one()
        kept = (await uow.conn.execute(select(uploads.c.id))).scalars().all()
    assert row.status == "failed" and row.reference_upload_ids in kept
