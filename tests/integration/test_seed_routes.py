"""Seeds per route: a route whose API takes a seed gets it, and a finished job reports
the seed its images were made with - the one the service returned (fal), the requested
one where the route honours it, and none where the route ignores seeds.

Which routes take a seed (providers.md and each service's own schema): fal's FLUX and
Seedream endpoints (``seed``; fal answers with the ``seed`` it used); Replicate's FLUX and
``bytedance/seedream-3`` (``seed`` in the input schema; ``bytedance/seedream-4``/``-4.5``
have none); Ark's Seedream 3.0 (``seed`` is documented for the 3.0 models only);
OpenAI images (no seed field); Gemini (``generationConfig.seed`` exists but is not
documented to fix an image). Through the real provider modules and the worker, over HTTP
to their loopback fakes, on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace

import pytest

from core.types import ImagineRequest
from tests.integration.test_provider_pipeline import TARGET, _make_fake, _stand, _user


def _sent_seeds(name: str, requests: list) -> list:
    """The ``seed`` each generation request carried (None when it had none)."""
    if name == "replicate":
        return [r.body["input"].get("seed") for r in requests]
    if name == "openai":
        return [r.json.get("seed") for r in requests]
    return [r.body.get("seed") for r in requests]


@pytest.mark.parametrize(
    ("name", "model", "honoured"),
    [
        ("replicate", "black-forest-labs/flux-schnell", True),
        ("replicate", "bytedance/seedream-3", True),
        ("ark", "seedream-3-0-t2i-250415", True),
        ("replicate", "bytedance/seedream-4.5", False),
        ("ark", "seedream-4-5-251128", False),
        ("openai", "gpt-image-2", False),
        ("google", "gemini-3.1-flash-image", False),
    ],
)
async def test_the_seed_is_sent_where_honoured_and_claimed_only_there(
    settings, engine, name, model, honoured
):
    fake = replace(_make_fake(name), model=model)
    async with _stand(settings, engine, routes=[fake]) as (app, delivered):
        actor = await _user(app)
        job = await app.core.imagine(
            actor, ImagineRequest("a lighthouse", model_id="pipeline", seed=7), TARGET
        )
        await app.worker.run(burst=True)
        await delivered.wait_for(job.job_id, "finished")
        view = await app.core.job(actor, job.job_id)
    assert job.seed == 7  # what was asked for, while queued
    if honoured:
        assert _sent_seeds(name, fake.generation_requests())[0] == 7
        assert view.seed == 7
    else:
        assert view.seed is None  # the images were not made with seed 7: do not say so


async def test_the_seed_fal_returns_is_the_one_reported(settings, engine):
    fake = replace(_make_fake("fal"), model="fal-ai/bytedance/seedream/v4.5/text-to-image")
    async with _stand(settings, engine, routes=[fake]) as (app, delivered):
        actor = await _user(app)
        asked = await app.core.imagine(
            actor, ImagineRequest("a lighthouse", model_id="pipeline", seed=7), TARGET
        )
        drawn = await app.core.imagine(
            actor, ImagineRequest("a lighthouse", model_id="pipeline"), TARGET
        )
        await app.worker.run(burst=True)
        for job in (asked, drawn):
            await delivered.wait_for(job.job_id, "finished")
        views = [await app.core.job(actor, job.job_id) for job in (asked, drawn)]
    assert [r.body.get("seed") for r in fake.generation_requests()] == [7, None]
    assert [v.seed for v in views] == [7, 42]  # the fake draws with 42 when none is given
