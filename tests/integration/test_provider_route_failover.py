"""Issue 14, defect 7, through the whole job path (real provider modules over real HTTP to
their loopback fakes, the worker, the ledger): the shipped GPT Image model works through
OpenRouter; a route the service cannot serve (unknown model, unsupported output
modality) fails over to the model's next route within the attempt; when no route can,
the job fails at once with its own message and is refunded. A refusal never fails over
(see test_provider_pipeline). Runs on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace

from core.types import ImagineRequest
from tests.integration.test_provider_pipeline import (
    COST,
    TARGET,
    _balance,
    _job_row,
    _ledger_for,
    _make_fake,
    _stand,
    _user,
)


async def test_the_shipped_gpt_image_model_works_through_openrouter(settings, engine):
    openrouter = replace(_make_fake("openrouter"), model="openai/gpt-image-2")
    async with _stand(settings, engine, routes=[openrouter], base_model="gpt-image") as (
        app,
        delivered,
    ):
        actor = await _user(app)
        job = await app.core.imagine(actor, ImagineRequest("a teapot", "pipeline"), TARGET)
        await app.worker.run(burst=True)

        assert delivered.kinds(job.job_id) == ["queued", "started", "finished"]
        (request,) = openrouter.generation_requests()
        assert request.json["modalities"] == ["image"]  # from the catalogue entry


async def test_an_unknown_model_fails_over_to_the_next_route(settings, engine):
    openrouter = replace(_make_fake("openrouter"), model="openai/no-such-model")
    ark = _make_fake("ark")
    async with _stand(settings, engine, routes=[openrouter, ark]) as (app, delivered):
        actor = await _user(app)
        before = await _balance(app, actor)
        job = await app.core.imagine(actor, ImagineRequest("a kite", "pipeline"), TARGET)
        await app.worker.run(burst=True)

        assert delivered.kinds(job.job_id) == ["queued", "started", "finished"]
        row = await _job_row(app, job.job_id)
        assert (row.status, row.provider_route, row.attempts) == ("succeeded", ark.route, 1)
        assert len(openrouter.generation_requests()) == 1
        assert len(ark.generation_requests()) == 1
        assert await _balance(app, actor) == before - COST


async def test_when_no_route_can_serve_the_job_fails_with_a_refund(settings, engine):
    openrouter = replace(_make_fake("openrouter"), model="openai/no-such-model")
    fireworks = replace(_make_fake("fireworks"), model="flux-no-such-model")
    async with _stand(settings, engine, routes=[openrouter, fireworks]) as (app, delivered):
        actor = await _user(app)
        before = await _balance(app, actor)
        job = await app.core.imagine(actor, ImagineRequest("a kite", "pipeline"), TARGET)
        await app.worker.run(burst=True)

        assert delivered.kinds(job.job_id) == ["queued", "started", "failed"]
        failed = await delivered.wait_for(job.job_id, "failed")
        assert failed.error_key == "error.route_unsupported"
        assert failed.refunded_credits == COST
        row = await _job_row(app, job.job_id)
        assert (row.status, row.error_code, row.attempts) == ("failed", "route_unsupported", 1)
        assert row.provider_route == fireworks.route  # the last route that said no
        assert await _ledger_for(app, job.job_id) == [("spend", -COST), ("refund", COST)]
        assert await _balance(app, actor) == before
        assert len(openrouter.generation_requests()) == 1
        assert len(fireworks.generation_requests()) == 1
        assert await app.worker.run_once() is None  # not retried


async def test_a_route_it_could_not_try_for_being_busy_makes_the_job_wait_not_fail(
    settings, engine
):
    openrouter = replace(_make_fake("openrouter"), model="openai/no-such-model")
    ark = _make_fake("ark")
    async with _stand(settings, engine, routes=[openrouter, ark]) as (app, delivered):
        caps, limit = (
            app.worker.runner._routes._caps,
            app.catalog.provider_limits("ark").max_concurrency,
        )
        for n in range(limit):  # every Ark slot held by other jobs
            assert await caps.acquire("provider:ark", f"other-{n}", limit=limit, lease_s=60)
        actor = await _user(app)
        job = await app.core.imagine(actor, ImagineRequest("a kite", "pipeline"), TARGET)
        await app.worker.run_once()

        assert "failed" not in delivered.kinds(job.job_id)
        row = await _job_row(app, job.job_id)
        assert (row.status, row.error_code) == ("queued", None)
        assert row.not_before is not None  # waits for a free Ark slot
        assert await _ledger_for(app, job.job_id) == [("spend", -COST)]  # no refund
        assert len(openrouter.generation_requests()) == 1 and ark.generation_requests() == []
