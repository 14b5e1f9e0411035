"""--enhance through the worker: DeepSeek's rewrite is what the image service draws, both
prompts stay on the job, and an enhancer failure falls back to the original prompt."""

from __future__ import annotations

import pytest
from pydantic import SecretStr
from sqlalchemy import select

from bot.bootstrap import bootstrap
from core.db.tables import jobs
from core.types import Actor, ImagineRequest, ReplyTarget
from tests.conftest import unique_user
from tests.support.fake_deepseek import FakeDeepSeek, enhanced
from tests.support.fakes import RecordingDelivery
from tests.support.servers import serve_asgi

KEY = "sk-test-deepseek"


class PromptRecorder:
    """Wraps the local provider and remembers the prompts it was asked to draw."""

    def __init__(self, inner) -> None:
        self.inner, self.name, self.prompts = inner, inner.name, []

    async def generate(self, spec):
        self.prompts.append(spec.prompt)
        return await self.inner.generate(spec)


@pytest.mark.parametrize(
    ("prompt", "expect_enhanced"),
    [("a quiet harbour", True), ("a quiet harbour [503]", False), ("a harbour [empty]", False)],
)
async def test_enhance_rewrites_or_falls_back(settings, engine, prompt, expect_enhanced):
    fake = FakeDeepSeek(api_key=KEY)
    async with serve_asgi(fake) as url:
        settings = settings.model_copy(
            update={"deepseek_api_key": SecretStr(KEY), "deepseek_base_url": url}
        )
        async with bootstrap(settings, engine=engine, migrate=False) as app:
            recorder = PromptRecorder(app.providers["local"])
            app.providers["local"] = recorder
            actor = Actor("test", unique_user())
            await app.core.accept_terms(actor, age_confirmed=True)
            job = await app.core.imagine(
                actor, ImagineRequest(prompt, enhance=True), ReplyTarget("test", {})
            )
            assert await app.worker.run_once() == "succeeded"
            async with app.uow() as uow:
                row = (await uow.conn.execute(select(jobs).where(jobs.c.id == job.job_id))).one()
    assert len(fake.requests) == 1
    assert row.prompt == prompt  # the original is always kept
    if expect_enhanced:
        assert row.enhanced_prompt == enhanced(prompt)
        assert recorder.prompts == [enhanced(prompt)]
    else:
        assert row.enhanced_prompt is None
        assert recorder.prompts == [prompt]


@pytest.mark.parametrize(
    ("prompt", "with_key", "skipped"),
    [
        ("a quiet harbour", True, False),
        ("a quiet harbour [503]", True, True),
        ("a quiet harbour", False, True),  # --enhance without a DeepSeek key
    ],
)
async def test_the_result_says_when_the_prompt_was_used_as_written(
    settings, engine, prompt, with_key, skipped
):
    fake = FakeDeepSeek(api_key=KEY)
    async with serve_asgi(fake) as url:
        if with_key:
            settings = settings.model_copy(
                update={"deepseek_api_key": SecretStr(KEY), "deepseek_base_url": url}
            )
        async with bootstrap(settings, engine=engine, migrate=False) as app:
            delivered = RecordingDelivery()
            app.events.register("test", delivered)
            actor = Actor("test", unique_user())
            await app.core.accept_terms(actor, age_confirmed=True)
            job = await app.core.imagine(
                actor, ImagineRequest(prompt, enhance=True), ReplyTarget("test", {})
            )
            await app.worker.run(burst=True)
            event = await delivered.wait_for(job.job_id, "finished")
            plain = await app.core.imagine(actor, ImagineRequest(prompt), ReplyTarget("test", {}))
            await app.worker.run(burst=True)
            unasked = await delivered.wait_for(plain.job_id, "finished")
    assert event.enhance_skipped is skipped
    assert unasked.enhance_skipped is False  # nothing was asked for, nothing to say
