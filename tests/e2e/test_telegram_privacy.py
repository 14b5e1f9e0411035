"""Privacy on Telegram end to end (the real PTB Application against the fake Bot API):
/delete and the Delete button (owner only), /mydata, /forgetme with the Confirm button
or the typed code, /privacy (split over several messages when long), and the training
switch of /settings."""

from __future__ import annotations

import re

from bot.bootstrap import bootstrap
from core import WebLinkInvalid
from tests.e2e import test_telegram as base
from tests.e2e.test_telegram import ADA, BOB, _accept_terms, _imagine, _run_jobs, app_actor
from tests.support.fake_telegram import BOT_USERNAME, group_chat
from tests.support.telegram_harness import button_data, running_adapter, text_has

app, fake, tg = base.app, base.fake, base.tg  # the Telegram suite's fixtures


async def _image_ids(app, who: dict = ADA) -> list[str]:
    return [img.image_id for job in await app.core.history(app_actor(who)) for img in job.images]


async def test_delete_command_removes_one_image(tg, fake, app):
    await _accept_terms(fake)
    await _imagine(fake, "a tin robot --n 2")
    await _run_jobs(fake, app)
    first, second = await _image_ids(app)
    mark = fake.mark()
    await fake.push_command(ADA, "/history")
    history = await fake.wait_for("sendMessage", after=mark)
    assert first in history.params["text"]  # where /delete's id is found

    for text, expected in (
        (f"/delete {first}", f"Image {first[:24]} was deleted."),
        (f"/delete {first}", "could not find"),
        ("/delete", "Use /delete IMAGE"),
    ):
        mark = fake.mark()
        await fake.push_command(ADA, text)
        answer = await fake.wait_for("sendMessage", after=mark)
        assert expected in answer.params["text"], answer.params["text"]
    assert await _image_ids(app) == [second]


async def test_delete_button_is_for_the_owner_only(tg, fake, app):
    await _accept_terms(fake)
    await _accept_terms(fake, BOB)
    await _imagine(fake, "a copper kettle")
    photo = await _run_jobs(fake, app)
    data = button_data(photo)["Delete"]
    assert data.startswith("dl:") and len(data.encode()) <= 64
    (image_id,) = await _image_ids(app)

    mark = fake.mark()
    await fake.push_callback(BOB, data, message=photo)
    refused = await fake.wait_for("answerCallbackQuery", after=mark)
    assert "could not find that image" in refused.params["text"]
    assert refused.params["show_alert"] == "true"
    assert await _image_ids(app) == [image_id]

    mark = fake.mark()
    await fake.push_callback(ADA, data, message=photo)
    done = await fake.wait_for("answerCallbackQuery", after=mark)
    assert done.params["text"] == f"Image {image_id} was deleted."
    removed = await fake.wait_for("deleteMessage", after=mark)
    assert removed.params["message_id"] == str(fake.sent_message(photo)["message_id"])
    assert await _image_ids(app) == []


async def test_mydata_replies_privately_with_an_expiring_link(tg, fake, app):
    await _accept_terms(fake)
    mark = fake.mark()
    await fake.push_command(ADA, f"/mydata@{BOT_USERNAME}", chat=group_chat())
    pointer = await fake.wait_for("sendMessage", after=mark)
    assert button_data(pointer) == {
        "Open private chat": f"https://t.me/{BOT_USERNAME}?start=mydata"
    }
    assert "export" not in pointer.params["text"]

    mark = fake.mark()
    await fake.push_command(ADA, "/start mydata")
    ready = await fake.wait_for("sendMessage", after=mark)
    assert ready.params["chat_id"] == str(ADA["id"])
    assert "Your data export is ready" in ready.params["text"]
    assert re.search(r"http://127\.0\.0\.1:9/\S+", ready.params["text"])

    mark = fake.mark()
    await fake.push_command(ADA, "/mydata")  # one export an hour
    again = await fake.wait_for("sendMessage", after=mark)
    assert "Your data export is ready" not in again.params["text"]


async def test_gallery_answers_only_in_the_private_chat_and_a_new_link_replaces_the_last(
    tg, fake, app
):
    await _accept_terms(fake)
    mark = fake.mark()
    await fake.push_command(ADA, f"/gallery@{BOT_USERNAME}", chat=group_chat())
    pointer = await fake.wait_for("sendMessage", after=mark)
    assert button_data(pointer) == {
        "Open private chat": f"https://t.me/{BOT_USERNAME}?start=gallery"
    }
    assert "/gallery/t/" not in pointer.params["text"]  # no link where others read

    links = []
    for command in ("/start gallery", "/gallery"):
        mark = fake.mark()
        await fake.push_command(ADA, command)
        ready = await fake.wait_for("sendMessage", after=mark)
        assert ready.params["chat_id"] == str(ADA["id"])
        assert "Your personal gallery" in ready.params["text"]
        links.append(re.search(r"http://127\.0\.0\.1:9/gallery/t/(\S+)", ready.params["text"]))
    first, second = (m.group(1) for m in links if m)
    assert first != second
    assert (await app.core.gallery.open(second)).account_id is not None
    try:
        await app.core.gallery.open(first)
    except WebLinkInvalid:
        pass
    else:
        raise AssertionError("the older link still opens")


async def _forget_challenge(fake):
    """Accept the terms, then /forgetme: the challenge message and its code."""
    await _accept_terms(fake)
    mark = fake.mark()
    await fake.push_command(ADA, "/forgetme")
    challenge = await fake.wait_for("sendMessage", after=mark)
    return challenge, re.search(r"/forgetme (\S+)", challenge.params["text"]).group(1)


async def test_forgetme_confirm_button_erases_the_account(tg, fake, app):
    challenge, code = await _forget_challenge(fake)
    data = button_data(challenge)["Confirm: erase everything"]
    assert data == f"fg:{code}" and len(data.encode()) <= 64
    assert await app.core.find_account(app_actor(ADA)) is not None

    mark = fake.mark()
    await fake.push_callback(ADA, data, message=challenge)
    receipt = await fake.wait_for("editMessageText", after=mark)
    assert receipt.params["text"].startswith("Erased at")
    assert "1 account," in receipt.params["text"]
    assert "reply_markup" not in receipt.params
    assert await app.core.find_account(app_actor(ADA)) is None

    mark = fake.mark()
    await fake.push_callback(ADA, data, message=challenge)  # pressed again: nothing left
    again = await fake.wait_for("editMessageText", after=mark)
    assert again.params["text"] == "We hold no data about you: there is nothing to erase."


async def test_forgetme_typed_code_and_a_wrong_code(tg, fake, app):
    challenge, code = await _forget_challenge(fake)

    mark = fake.mark()
    await fake.push_callback(ADA, "fg:", message=challenge)  # a button without its code
    empty = await fake.wait_for("answerCallbackQuery", after=mark)
    assert "wrong or has expired" in empty.params["text"]

    mark = fake.mark()
    await fake.push_command(ADA, "/forgetme WRONG-CODE")
    wrong = await fake.wait_for("sendMessage", after=mark)
    assert "wrong or has expired. Nothing was deleted" in wrong.params["text"]
    assert await app.core.find_account(app_actor(ADA)) is not None

    mark = fake.mark()
    await fake.push_command(ADA, f"/forgetme {code}")
    receipt = await fake.wait_for("sendMessage", after=mark)
    assert receipt.params["text"].startswith("Erased at")
    assert await app.core.find_account(app_actor(ADA)) is None

    mark = fake.mark()
    await fake.push_command(ADA, "/forgetme", chat=group_chat())  # never in a group
    pointer = await fake.wait_for("sendMessage", after=mark)
    assert "Open private chat" in button_data(pointer)


async def test_privacy_shows_the_operator_policy_split_into_messages(
    settings, sqlite_engine, fake, tmp_path
):
    policy = tmp_path / "policy.txt"
    paragraphs = [f"Part {i} (version {{policy_version}})\n" + "data " * 400 for i in range(5)]
    policy.write_text("\n\n".join(paragraphs), encoding="utf-8")
    custom = settings.model_copy(update={"privacy_policy_path": policy})
    async with (
        bootstrap(custom, engine=sqlite_engine, migrate=False) as custom_app,
        running_adapter(custom_app, fake),
    ):
        mark = fake.mark()
        await fake.push_command(ADA, "/privacy")
        await fake.wait_for("sendMessage", text_has("Part 4"), after=mark)
        parts = [c.params["text"] for c in fake.of("sendMessage", after=mark)]
    assert len(parts) > 1 and all(len(p) <= 4096 for p in parts)
    assert parts[0].startswith("Part 0 (version ") and "{policy_version}" not in parts[0]
    assert sum(p.count("data") for p in parts) == 5 * 400


async def test_settings_analytics_switch(tg, fake, app):
    """/settings shows product analytics off with a button to turn it on; the typed
    form works too, and a wrong word asks for on or off."""
    await _accept_terms(fake)
    mark = fake.mark()
    await fake.push_command(ADA, "/settings")
    shown = await fake.wait_for("sendMessage", text_has("Your defaults"), after=mark)
    assert "product analytics off" in shown.params["text"]
    mark = fake.mark()
    await fake.push_callback(ADA, button_data(shown)["Product analytics: off"], message=shown)
    edited = await fake.wait_for("editMessageText", text_has("Your defaults"), after=mark)
    assert "product analytics on" in edited.params["text"]
    assert "Product analytics: on" in button_data(edited)
    assert (await app.core.account(app_actor(ADA))).analytics_opt_in

    for text, expected in (
        ("/settings analytics off", "Product analytics are off"),
        ("/settings analytics maybe", "Use /settings analytics on"),
    ):
        mark = fake.mark()
        await fake.push_command(ADA, text)
        answer = await fake.wait_for("sendMessage", after=mark)
        assert expected in answer.params["text"], answer.params["text"]
    assert not (await app.core.account(app_actor(ADA))).analytics_opt_in


async def test_settings_training_switch(tg, fake, app):
    await _accept_terms(fake)
    mark = fake.mark()
    await fake.push_command(ADA, "/settings")
    shown = await fake.wait_for("sendMessage", text_has("Your defaults"), after=mark)
    assert "use for training off" in shown.params["text"]
    mark = fake.mark()
    await fake.push_callback(ADA, button_data(shown)["Use for training: off"], message=shown)
    edited = await fake.wait_for("editMessageText", text_has("Your defaults"), after=mark)
    assert "use for training on" in edited.params["text"]
    assert "Use for training: on" in button_data(edited)
    assert (await app.core.account(app_actor(ADA))).training_opt_in

    for text, expected in (
        ("/settings training off", "will not be used for training"),
        ("/settings training maybe", "Use /settings training on"),
    ):
        mark = fake.mark()
        await fake.push_command(ADA, text)
        answer = await fake.wait_for("sendMessage", after=mark)
        assert expected in answer.params["text"], answer.params["text"]
    assert not (await app.core.account(app_actor(ADA))).training_opt_in
