"""Previews outside the database: the preview link on the Redis event payload (and a
payload from before previews), and Discord's embeds (preview shown, originals linked
within Discord's embed limits, checked by the fake Discord's own rules)."""

from __future__ import annotations

import json

import pytest

from adapters.common.catalogue import chat_messages
from adapters.discord.render import LOCALES_DIR as DISCORD_LOCALES
from adapters.discord.render import Texts, image_embeds
from core.messaging.events import event_from_json, event_to_json
from core.text.catalogue import Messages
from core.types import ImageView, JobEvent, ReplyTarget
from tests.support.discord_rules import message_errors


def _texts() -> Texts:
    return Texts(chat_messages(Messages(), DISCORD_LOCALES), "en")


def _image(i: int, *, preview: bool = True, url_chars: int = 0) -> ImageView:
    url = f"https://bucket.example/images/1/j/1-ab/{i}.png?sig=" + "s" * url_chars
    preview_url = f"https://bucket.example/images/1/j/1-ab/{i}.preview.jpg" if preview else None
    return ImageView(f"img{i}", url, 2048, 2048, "image/png", preview_url)


def test_the_preview_link_survives_the_redis_event_payload_and_old_payloads_read():
    event = JobEvent(
        kind="finished",
        job_id="a" * 32,
        account_id=7,
        reply_target=ReplyTarget("telegram", {"chat_id": 5}),
        locale="en",
        images=[_image(0), _image(1, preview=False)],
    )
    assert event_from_json(event_to_json(event)) == event
    old = json.loads(event_to_json(event))
    for image in old["images"]:
        del image["preview_url"]  # a payload published before previews
    assert [i.preview_url for i in event_from_json(json.dumps(old)).images] == [None, None]


def test_one_image_shows_its_preview_and_links_its_original():
    [embed] = [e.to_dict() for e in image_embeds(_texts(), [_image(0)])]
    assert embed["image"]["url"].endswith("0.preview.jpg")
    assert embed["description"] == f"[Full size]({_image(0).url})"
    assert message_errors({"embeds": [embed]}) == {}


def test_an_image_without_a_preview_shows_its_original():
    [embed] = [e.to_dict() for e in image_embeds(_texts(), [_image(0, preview=False)])]
    assert embed["image"]["url"] == _image(0).url
    assert embed["description"] == f"[Full size]({_image(0).url})"


def test_parentheses_in_a_link_cannot_end_the_markdown_link():
    image = ImageView("i", "https://x.example/a(1).png", 8, 8, "image/png", None)
    [embed] = image_embeds(_texts(), [image])
    assert embed.description == "[Full size](https://x.example/a%281%29.png)"


@pytest.mark.parametrize("url_chars", [0, 900, 1900])
def test_many_long_links_stay_within_discords_embed_limits(url_chars):
    images = [_image(i, url_chars=url_chars) for i in range(10)]
    embeds = [e.to_dict() for e in image_embeds(_texts(), images)]
    assert message_errors({"embeds": embeds}) == {}
    description = embeds[0]["description"]
    assert description.startswith(f"[Full size 1]({images[0].url})")
    if url_chars == 0:
        assert description.count("[Full size ") == 10
    else:  # as many as fit; the rest stay one /history away
        assert 1 <= description.count("[Full size ") < 10
