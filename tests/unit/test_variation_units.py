"""Variations outside the database: the finished event's flag on the Redis payload, and
the adapters' V buttons (opaque ids, only for models that offer variations)."""

from __future__ import annotations

import json

import pytest

from adapters.common.catalogue import chat_messages
from adapters.discord.items import job_view
from adapters.discord.render import LOCALES_DIR as DISCORD_LOCALES
from adapters.discord.render import Texts
from adapters.telegram import keyboards as kb
from adapters.telegram.render import LOCALES_DIR as TELEGRAM_LOCALES
from core.messaging.events import event_from_json, event_to_json
from core.text.catalogue import Messages
from core.types import ImageView, JobEvent, ReplyTarget


@pytest.mark.parametrize("can_vary", [True, False])
def test_the_variations_flag_survives_the_redis_event_payload(can_vary):
    event = JobEvent(
        kind="finished",
        job_id="a" * 32,
        account_id=7,
        reply_target=ReplyTarget("discord", {"channel_id": "5"}),
        locale="en",
        images=[ImageView("img1", "https://x/1.png", 64, 64, "image/png")],
        can_vary=can_vary,
    )
    assert event_from_json(event_to_json(event)) == event
    # A payload from before the flag existed reads as "no variations".
    old = json.loads(event_to_json(event))
    del old["can_vary"]
    assert event_from_json(json.dumps(old)).can_vary is False


def _discord_texts():
    return Texts(chat_messages(Messages(), DISCORD_LOCALES), "en")


# async: discord.py before 2.7 builds a View only inside a running loop, as the adapter does.
@pytest.mark.parametrize("count", [1, 4, 8])
async def test_discord_result_buttons_fit_and_carry_only_ids(count):
    image_ids = [f"img{i}" for i in range(count)]
    view = job_view(_discord_texts(), "f" * 32, image_ids, can_delete=True, can_vary=True)
    rows = view.to_components()
    assert len(rows) <= 5 and all(len(r["components"]) <= 5 for r in rows)
    buttons = [c for r in rows for c in r["components"]]
    vary = [b for b in buttons if b["custom_id"].startswith("sd:vary:")]
    assert [b["label"] for b in vary] == [f"V{i + 1}" for i in range(count)]
    assert [b["custom_id"] for b in vary] == [f"sd:vary:{i}" for i in image_ids]
    assert all(len(b["custom_id"]) <= 100 for b in buttons)  # Discord's limit


async def test_discord_result_has_no_vary_buttons_without_the_capability():
    view = job_view(_discord_texts(), "f" * 32, ["a", "b"], can_delete=True, can_vary=False)
    ids = [c["custom_id"] for r in view.to_components() for c in r["components"]]
    assert not any(i.startswith("sd:vary:") for i in ids) and "sd:reroll:" + "f" * 32 in ids


def test_telegram_vary_button_data_is_an_opaque_id_within_64_bytes():
    def t(key: str, **params) -> str:
        return chat_messages(Messages(), TELEGRAM_LOCALES).render(key, "en", **params)

    longest = "x" * 24  # the longest image id the core accepts
    markup = kb.result_keyboard(t, "f" * 32, longest, vary_index=3)
    (row,) = markup.inline_keyboard
    assert [b.text for b in row] == ["Reroll", "V3", "Delete"]
    assert row[1].callback_data == f"{kb.VARY}:{longest}"
    assert all(len(b.callback_data.encode()) <= kb.MAX_CALLBACK_BYTES for b in row)
    (plain,) = kb.result_keyboard(t, "f" * 32, longest).inline_keyboard
    assert [b.text for b in plain] == ["Reroll", "Delete"]
