"""Discord results show each image's chat preview in its embed and link the full-size
original, against the fake Discord (which refuses what Discord refuses in embeds)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from core.types import Actor
from tests.e2e.discord_harness import accept_terms, finished, option, run, running_adapter

USER_ID = 4000
LINK = re.compile(r"\[([^\]]+)\]\(([^)]+)\)")


def _key(url: str) -> str:
    return urlsplit(url).path.split("/media/", 1)[1]


async def test_embeds_show_the_previews_and_link_every_original(embedded_app, fake_discord):
    async with running_adapter(embedded_app, fake_discord):
        await accept_terms(fake_discord)
        sent = await run(
            fake_discord, "imagine", [option("prompt", "two herons"), option("count", 2, kind=4)]
        )
        done = await finished(fake_discord, sent)
    (job,) = await embedded_app.core.history(Actor("discord", str(USER_ID)))
    embeds = done.body["embeds"]
    assert len(embeds) == 2
    for embed, image in zip(embeds, job.images, strict=True):
        assert image.preview_url is not None
        assert _key(embed["image"]["url"]) == _key(image.preview_url)
        assert _key(embed["image"]["url"]).endswith(".preview.jpg")
    # The gallery shows the first embed's text: it links both originals.
    links = LINK.findall(embeds[0]["description"])
    assert [label for label, _ in links] == ["Full size 1", "Full size 2"]
    assert [_key(url) for _, url in links] == [_key(i.url) for i in job.images]
    assert all(_key(url).endswith(".png") for _, url in links)
