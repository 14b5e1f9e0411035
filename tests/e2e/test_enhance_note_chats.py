"""``enhance`` without a DeepSeek key on Discord and Telegram: the image is drawn from the
prompt as written, and the finished reply says so (the ``job.enhance_skipped`` note)."""

from __future__ import annotations

from tests.e2e.discord_harness import accept_terms, finished, option, run, running_adapter
from tests.e2e.test_telegram import _accept_terms, _imagine, app, fake, tg  # noqa: F401
from tests.support.telegram_harness import text_has

NOTE = "used your prompt as written"


async def test_discord_says_the_prompt_was_used_as_written(embedded_app, fake_discord):
    async with running_adapter(embedded_app, fake_discord):
        await accept_terms(fake_discord)
        asked = await run(
            fake_discord,
            "imagine",
            [option("prompt", "a red fox"), option("enhance", True, kind=5)],
        )
        done = await finished(fake_discord, asked)
        assert "Done" in done.body["content"] and NOTE in done.body["content"]
        plain = await run(fake_discord, "imagine", [option("prompt", "a red fox")])
        done = await finished(fake_discord, plain)
        assert "Done" in done.body["content"] and NOTE not in done.body["content"]


async def test_telegram_says_the_prompt_was_used_as_written(tg, fake, app):  # noqa: F811
    await _accept_terms(fake)
    for text, noted in (("a red fox --enhance", True), ("a red fox", False)):
        await _imagine(fake, text)
        mark = fake.mark()
        await app.worker.run(burst=True)
        done = await fake.wait_for("editMessageText", text_has("Done"), after=mark)
        assert (NOTE in done.params["text"]) is noted
