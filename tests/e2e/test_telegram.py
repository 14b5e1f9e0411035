"""The Telegram adapter end to end: the real PTB Application polling a loopback fake
Bot API, the core on SQLite with the in-process queue and the local provider; every
command and button, asserted on what the fake received."""

from __future__ import annotations

import logging
import re

import pytest

from bot.bootstrap import bootstrap
from core.types import Actor
from tests.support.fake_telegram import BOT_USERNAME, Call, FakeBotApi, group_chat, user
from tests.support.telegram_harness import (
    accept_terms,
    button_data,
    fake_bot_api,
    running_adapter,
    text_has,
)

ADA = user(424242, first_name="Ada")
BOB = user(515151, first_name="Bob")


@pytest.fixture
async def app(settings, sqlite_engine):
    async with bootstrap(settings, engine=sqlite_engine, migrate=False) as built:
        yield built


@pytest.fixture
async def fake():
    async with fake_bot_api() as api:
        yield api


@pytest.fixture
async def tg(app, fake):
    async with running_adapter(app, fake) as adapter:
        yield adapter


async def _accept_terms(fake: FakeBotApi, who: dict = ADA) -> None:
    await accept_terms(fake, who)


async def _imagine(fake: FakeBotApi, text: str, who: dict = ADA, chat: dict | None = None):
    """Send /imagine; return the status message's final 'queued' edit."""
    mark = fake.mark()
    await fake.push_command(who, f"/imagine {text}", chat=chat)
    return await fake.wait_for("editMessageText", text_has("Queued"), after=mark)


def app_actor(who: dict) -> Actor:
    return Actor("telegram", str(who["id"]))


async def _run_jobs(fake: FakeBotApi, app, method: str = "sendPhoto") -> Call:
    """Run the queued jobs to the end; return the first image the bot sent."""
    mark = fake.mark()
    await app.worker.run(burst=True)
    return await fake.wait_for(method, after=mark)


async def test_startup_registers_the_command_menu(tg, fake):
    names = [c["command"] for c in fake.commands[None]]
    assert names == [
        "start",
        "imagine",
        "credits",
        "history",
        "cancel",
        "models",
        "settings",
        "help",
        "privacy",
        "paysupport",
        "buy",
        "redeem",
        "delete",
        "mydata",
        "gallery",
        "forgetme",
        "link",
    ]
    assert all(1 <= len(c["description"]) <= 256 for c in fake.commands[None])
    assert fake.of("deleteWebhook"), "polling mode clears any webhook first"


async def test_start_shows_terms_and_accept_grants_welcome_credits(tg, fake):
    await fake.push_command(ADA, "/start")
    terms = await fake.wait_for("sendMessage", text_has("13 or older"))
    buttons = button_data(terms)
    assert set(buttons) == {"I am 13+ and accept", "Decline"}
    assert all(len(data.encode()) <= 64 for data in buttons.values())

    mark = fake.mark()
    await fake.push_callback(ADA, buttons["I am 13+ and accept"], message=terms)
    edit = await fake.wait_for("editMessageText", after=mark)
    assert "20 free credits" in edit.params["text"]
    assert "reply_markup" not in edit.params  # the buttons are gone
    assert await fake.wait_for("answerCallbackQuery", after=mark)

    mark = fake.mark()
    await fake.push_command(ADA, "/start")
    assert await fake.wait_for("sendMessage", text_has("Welcome back"), after=mark)


async def test_decline_changes_nothing(tg, fake, app):
    await fake.push_command(ADA, "/start")
    terms = await fake.wait_for("sendMessage", text_has("13 or older"))
    mark = fake.mark()
    await fake.push_callback(ADA, button_data(terms)["Decline"], message=terms)
    assert await fake.wait_for("editMessageText", text_has("No problem"), after=mark)
    mark = fake.mark()
    await fake.push_command(ADA, "/credits")
    refused = await fake.wait_for("sendMessage", after=mark)
    assert "accept the terms" in refused.params["text"]


async def test_imagine_status_progress_photos_and_buttons(tg, fake, app):
    await _accept_terms(fake)
    mark = fake.mark()
    queued = await _imagine(fake, "a red fox in snow --ar 16:9 --seed 7 --n 2")
    accepting = fake.of("sendMessage", after=mark)[-1]
    status_id = fake.sent_message(accepting)["message_id"]
    assert queued.params["message_id"] == str(status_id)
    assert "2 images, 2 credits; balance 18" in queued.params["text"]
    assert "Position in queue: 1" in queued.params["text"]
    cancel_data = button_data(queued)["Cancel"]
    assert cancel_data.startswith("cx:") and len(cancel_data.encode()) <= 64

    mark = fake.mark()
    await app.worker.run(burst=True)
    generating = await fake.wait_for("editMessageText", text_has("Generating"), after=mark)
    assert generating.params["message_id"] == str(status_id)
    action = await fake.wait_for("sendChatAction", after=mark)
    assert action.params["action"] == "upload_photo"
    photos = await fake.wait_count("sendPhoto", 2, after=mark)
    for index, photo in enumerate(photos, start=1):
        assert re.fullmatch(r"http://127\.0\.0\.1:9/media/\S+", photo.params["photo"])
        assert photo.params["chat_id"] == str(ADA["id"])
        assert set(button_data(photo)) == {"Reroll", f"V{index}", "Delete"}
        assert all(len(data.encode()) <= 64 for data in button_data(photo).values())
    done = await fake.wait_for("editMessageText", text_has("Done"), after=mark)
    assert done.params["message_id"] == str(status_id)
    assert done.at_s > photos[-1].at_s
    assert not fake.of("sendDocument")
    history = await app.core.history(app_actor(ADA))
    assert history[0].status == "succeeded" and history[0].seed == 7


async def test_reroll_submits_the_same_request_again(tg, fake, app):
    await _accept_terms(fake)
    await _imagine(fake, "a lighthouse --ar 16:9 --no people")
    photo = await _run_jobs(fake, app)

    mark = fake.mark()
    await fake.push_callback(ADA, button_data(photo)["Reroll"], message=photo)
    queued = await fake.wait_for("editMessageText", text_has("Queued"), after=mark)
    assert "balance 18" in queued.params["text"]
    assert await _run_jobs(fake, app)
    first, second = sorted(await app.core.history(app_actor(ADA)), key=lambda j: j.created_at)
    assert second.prompt == first.prompt and second.aspect_ratio == "16:9"
    assert second.job_id != first.job_id


async def test_someone_elses_reroll_button_finds_nothing(tg, fake, app):
    await _accept_terms(fake)
    await _accept_terms(fake, BOB)
    await _imagine(fake, "a quiet harbour")
    photo = await _run_jobs(fake, app)
    mark = fake.mark()
    await fake.push_callback(BOB, button_data(photo)["Reroll"], message=photo)
    refused = await fake.wait_for("editMessageText", text_has("could not find"), after=mark)
    assert "job" in refused.params["text"]
    assert (await app.core.credits(app_actor(BOB))).balance_credits == 20


async def test_cancel_button_and_command_refund(tg, fake, app):
    await _accept_terms(fake)
    queued = await _imagine(fake, "a castle")
    mark = fake.mark()
    await fake.push_callback(ADA, button_data(queued)["Cancel"], message=fake.sent_message(queued))
    cancelled = await fake.wait_for("editMessageText", text_has("Cancelled"), after=mark)
    assert "Refunded 1 credit." in cancelled.params["text"]
    assert (await app.core.credits(app_actor(ADA))).balance_credits == 20

    await _imagine(fake, "another castle")
    mark = fake.mark()
    await fake.push_command(ADA, "/cancel")
    assert await fake.wait_for("sendMessage", text_has("Cancelled"), after=mark)
    mark = fake.mark()
    await fake.push_command(ADA, "/cancel")
    nothing = await fake.wait_for("sendMessage", after=mark)
    assert "could not find that queued job" in nothing.params["text"]
    assert (await app.core.credits(app_actor(ADA))).balance_credits == 20


async def test_bad_imagine_options_are_explained_and_cost_nothing(tg, fake, app):
    await _accept_terms(fake)
    for text, expected in (
        ("a fox --wings 2", "I don't know the option --wings"),
        ("a fox --ar 7:3", "The aspect ratio 7:3 is not available"),
        ("", "Please describe the picture"),
    ):
        mark = fake.mark()
        await fake.push_command(ADA, f"/imagine {text}".strip())
        edit = await fake.wait_for("editMessageText", after=mark)
        assert expected in edit.params["text"], edit.params["text"]
    assert (await app.core.credits(app_actor(ADA))).balance_credits == 20
    assert await app.core.history(app_actor(ADA)) == []


async def test_settings_keyboard_full_resolution_documents(tg, fake, app):
    await _accept_terms(fake)
    mark = fake.mark()
    await fake.push_command(ADA, "/settings")
    shown = await fake.wait_for("sendMessage", text_has("Your defaults"), after=mark)
    assert "full-resolution files off" in shown.params["text"]
    buttons = button_data(shown)
    assert all(len(data.encode()) <= 64 for data in buttons.values())

    mark = fake.mark()
    await fake.push_callback(ADA, buttons["Full-resolution files: off"], message=shown)
    edited = await fake.wait_for("editMessageText", text_has("Your defaults"), after=mark)
    assert "full-resolution files on" in edited.params["text"]
    assert "Full-resolution files: on" in button_data(edited)
    aspect = next(data for data in button_data(edited).values() if data == "sa:16:9")
    mark = fake.mark()
    await fake.push_callback(ADA, aspect, message=fake.sent_message(edited))
    edited = await fake.wait_for("editMessageText", text_has("aspect ratio 16:9"), after=mark)

    await _imagine(fake, "a mountain")
    mark = fake.mark()
    document = await _run_jobs(fake, app, "sendDocument")
    assert document.params["document"].data.startswith(b"\x89PNG")  # uploaded
    [link] = document.params["caption_entities"]
    assert link["type"] == "text_link" and link["url"].startswith("http://127.0.0.1:9/media/")
    assert not fake.of("sendPhoto", after=mark)
    assert (await app.core.history(app_actor(ADA)))[0].aspect_ratio == "16:9"


async def test_settings_as_text_and_bad_settings(tg, fake, app):
    await _accept_terms(fake)
    mark = fake.mark()
    await fake.push_command(ADA, "/settings --ar 9:16 --file on")
    saved = await fake.wait_for("sendMessage", text_has("Your defaults"), after=mark)
    assert "aspect ratio 9:16" in saved.params["text"]
    assert "full-resolution files on" in saved.params["text"]
    for text, expected in (
        ("--file maybe", 'Please answer on or off, not "maybe"'),
        ("--model nope", 'There is no model called "nope"'),
        ("--colour red", "I don't know the setting --colour"),
    ):
        mark = fake.mark()
        await fake.push_command(ADA, f"/settings {text}")
        answer = await fake.wait_for("sendMessage", after=mark)
        assert expected in answer.params["text"], answer.params["text"]
    account = await app.core.account(app_actor(ADA))
    assert account.default_aspect == "9:16" and account.deliver_as_file


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("/help", "/imagine PROMPT"),
        ("/privacy", "never used to train models"),
        ("/paysupport", "Questions about a payment"),
        ("/models", "preview: "),
        ("/history", "You have not created any images yet."),
        ("/credits", "Balance: 20 credits."),
    ],
)
async def test_informational_commands(tg, fake, command, expected):
    await _accept_terms(fake)
    mark = fake.mark()
    await fake.push_command(ADA, command)
    answer = await fake.wait_for("sendMessage", after=mark)
    assert expected in answer.params["text"]


async def test_history_and_credits_after_a_job(tg, fake, app):
    await _accept_terms(fake)
    await _imagine(fake, "a green comet")
    await _run_jobs(fake, app)
    mark = fake.mark()
    await fake.push_command(ADA, "/history")
    history = await fake.wait_for("sendMessage", after=mark)
    assert 'done  preview  "a green comet"' in history.params["text"]
    assert "http://127.0.0.1:9/media/" in history.params["text"]
    mark = fake.mark()
    await fake.push_command(ADA, "/credits")
    credits = await fake.wait_for("sendMessage", after=mark)
    assert "Balance: 19 credits." in credits.params["text"]
    assert "-1  spent on images" in credits.params["text"]


async def test_group_commands_results_and_private_deep_links(tg, fake, app):
    group = group_chat()
    await _accept_terms(fake)
    mark = fake.mark()
    await fake.push_command(ADA, f"/credits@{BOT_USERNAME}", chat=group)
    pointer = await fake.wait_for("sendMessage", after=mark)
    assert pointer.params["chat_id"] == str(group["id"])
    assert "Balance" not in pointer.params["text"]
    assert button_data(pointer) == {
        "Open private chat": f"https://t.me/{BOT_USERNAME}?start=credits"
    }

    mark = fake.mark()
    await fake.push_command(ADA, "/start credits")  # the deep link opens the private chat
    private = await fake.wait_for("sendMessage", after=mark)
    assert private.params["chat_id"] == str(ADA["id"])
    assert "Balance: 20 credits." in private.params["text"]
    mark = fake.mark()
    await fake.push_command(ADA, "/start imagine")  # only private commands are linked
    assert await fake.wait_for("sendMessage", text_has("Welcome back"), after=mark)

    await _imagine(fake, "a lantern festival", chat=group)
    photo = await _run_jobs(fake, app)
    assert photo.params["chat_id"] == str(group["id"])

    mark = fake.mark()
    await fake.push_command(ADA, "/help@another_bot", chat=group)  # not for us
    await fake.push_command(ADA, f"/models@{BOT_USERNAME}", chat=group)
    answer = await fake.wait_for("sendMessage", after=mark)
    assert "preview: " in answer.params["text"]
    assert len(fake.of("sendMessage", after=mark)) == 1


async def test_unexpected_error_gets_an_apology_with_a_reference(tg, fake, caplog):
    await _accept_terms(fake)
    fake.fail_next("sendMessage", status=500)
    mark = fake.mark()
    with caplog.at_level(logging.ERROR, logger="seedream.telegram"):
        await fake.push_command(ADA, "/imagine a secret prompt about my cat")
        apology = await fake.wait_for("sendMessage", text_has("Sorry"), after=mark)
    ref = re.search(r"\(ref ([0-9a-f]{8})\)", apology.params["text"]).group(1)
    record = next(r for r in caplog.records if ref in r.getMessage())
    assert record.exc_info is not None
    logged = caplog.text
    assert "secret prompt" not in logged and str(ADA["id"]) not in logged


async def test_flood_wait_is_honoured(tg, fake):
    await _accept_terms(fake)
    fake.fail_next("sendMessage", retry_after_s=1)
    mark = fake.mark()
    await fake.push_command(ADA, "/help")
    refused, sent = await fake.wait_count("sendMessage", 2, after=mark)
    assert sent.params["text"] == refused.params["text"]
    assert "/imagine" in sent.params["text"]
    assert sent.at_s - refused.at_s >= 1.0  # the 429's retry_after


async def test_an_edited_command_is_not_run_again(tg, fake, app):
    await _accept_terms(fake)
    await _imagine(fake, "a paper boat")
    edited = fake.command_payload(ADA, "/imagine a paper boat, edited")
    mark = fake.mark()
    await fake.push_update({"edited_message": {**edited["message"], "edit_date": 1}})
    await fake.push_command(ADA, "/help")  # handled after the edit was skipped
    await fake.wait_for("sendMessage", text_has("/imagine PROMPT"), after=mark)
    await fake.push_command(ADA, "/models")  # one more round trip after it
    await fake.wait_for("sendMessage", text_has("preview: "), after=mark)
    assert not fake.of("sendMessage", after=mark)[0].params["text"].startswith("Accepting")
    assert len(await app.core.history(app_actor(ADA))) == 1


async def test_unknown_commands_and_plain_text_get_pointers(tg, fake, app):
    mark = fake.mark()
    await fake.push_command(ADA, "/frobnicate now")
    unknown = await fake.wait_for("sendMessage", after=mark)
    assert unknown.params["text"] == "Unknown command /frobnicate. Type /help for the list."
    plain = fake.command_payload(ADA, "a red fox")
    del plain["message"]["entities"]
    mark = fake.mark()
    await fake.push_update(plain)
    hint = await fake.wait_for("sendMessage", after=mark)
    assert "send /imagine followed by a description" in hint.params["text"]
    assert await app.core.find_account(app_actor(ADA)) is None  # nothing was created


async def test_an_image_telegram_refuses_falls_back_to_uploads_then_a_link(tg, fake, app):
    await _accept_terms(fake)
    await _imagine(fake, "a very large panorama")
    fake.fail_next("sendPhoto", status=400, times=2)  # by link, then uploaded
    fake.fail_next("sendDocument", status=400)  # uploaded
    mark = fake.mark()
    await app.worker.run(burst=True)
    link = await fake.wait_for("sendMessage", text_has("/media/"), after=mark)
    assert link.params["text"].startswith("http://127.0.0.1:9/media/")
    assert set(button_data(link)) == {"Reroll", "V1", "Delete"}
    sends = {"sendPhoto", "sendDocument", "sendMessage"}
    assert [c.method for c in fake.calls[mark:] if c.method in sends] == [
        "sendPhoto",
        "sendPhoto",
        "sendDocument",
        "sendMessage",
    ]
    assert await fake.wait_for("editMessageText", text_has("Done"), after=mark)
