"""Reference images from Discord, driven through discord.py against the loopback fake
Discord (and its attachment CDN), with the embedded core: /imagine's attachment options
and the message command "Imagine from this image" with its modal.

Two kinds of assertion on the success paths: what the adapter did (the fake CDN's
download log, and the request it handed to ``Core.imagine``, recorded at that one
method), and what the core made of it (the job's ``reference_upload_ids`` and the
``uploads`` rows), which holds once the core stores uploads (``core.jobs.uploads``).
"""

from __future__ import annotations

import io

import pytest
from PIL import Image
from sqlalchemy import text

from core.types import Actor, ImagineRequest
from tests.e2e.discord_harness import accept_terms, option, reply_text, run, running_adapter
from tests.support.discord_payloads import CHANNEL_ID, user_message_payload
from tests.support.fake_discord import FakeDiscord

EPHEMERAL = 64
MENU = "Imagine from this image"
USER = Actor("discord", "4000")


def png(seed: int, size_px: int = 48) -> bytes:
    image = Image.new("RGB", (size_px, size_px), (seed * 40 % 256, 90, 200))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def imagine_requests(embedded_app, monkeypatch) -> list[ImagineRequest]:
    """The requests the adapter hands to ``Core.imagine`` (which still runs)."""
    seen: list[ImagineRequest] = []
    original = embedded_app.core.imagine

    async def recording(actor, request, reply_target, **kwargs):
        seen.append(request)
        return await original(actor, request, reply_target, **kwargs)

    monkeypatch.setattr(embedded_app.core, "imagine", recording)
    return seen


def image_options(attachments: list[dict]) -> list[dict]:
    names = ("image", "image2", "image3")
    return [option(n, a["id"], kind=11) for n, a in zip(names, attachments, strict=False)]


async def stored_references(app) -> tuple[list[str], int]:
    """The job's reference upload ids and the account's rows in ``uploads``."""
    async with app.engine.connect() as conn:
        job = (await conn.execute(text("SELECT account_id, reference_upload_ids FROM jobs"))).one()
        count = await conn.execute(
            text("SELECT count(*) FROM uploads WHERE account_id = :a"), {"a": job.account_id}
        )
        ids = [i for i in (job.reference_upload_ids or "").split(",") if i]
        return ids, count.scalar_one()


async def test_registration_has_the_attachment_options_and_the_message_command(
    embedded_app, fake_discord: FakeDiscord
):
    async with running_adapter(embedded_app, fake_discord, worker=False):
        put = await fake_discord.wait_for(lambda c: c.method == "PUT")
    by_name = {c["name"]: c for c in put.body}
    options = {o["name"]: o for o in by_name["imagine"]["options"]}
    for name in ("image", "image2", "image3"):
        assert options[name]["type"] == 11 and not options[name].get("required")
        assert options[name]["description"]
    menu = by_name[MENU]
    assert menu["type"] == 3 and not menu.get("description") and "options" not in menu


# -- /imagine with attachment options ---------------------------------------------------


async def imagine_with_images(fake: FakeDiscord, count: int) -> tuple[list[bytes], list[dict]]:
    """/imagine with ``count`` attachment options, until the job is queued."""
    await accept_terms(fake)
    images = [png(i) for i in range(count)]
    attachments = [fake.attachment(b, f"ref{i}.png") for i, b in enumerate(images)]
    sent = await run(
        fake,
        "imagine",
        [option("prompt", "this cat, as a watercolour"), *image_options(attachments)],
        attachments=tuple(attachments),
    )
    assert "Queued" in await reply_text(fake, sent, "Queued")
    return images, attachments


@pytest.mark.parametrize("count", [1, 3])
async def test_imagine_with_reference_images(
    embedded_app, fake_discord: FakeDiscord, imagine_requests, count
):
    async with running_adapter(embedded_app, fake_discord, worker=False):
        images, attachments = await imagine_with_images(fake_discord, count)
    assert all(fake_discord.cdn.downloaded(a) for a in attachments)
    assert not any(d.path.startswith("/media/") for d in fake_discord.cdn.downloads)
    (request,) = imagine_requests
    assert [r.data for r in request.reference_images] == images  # in option order
    assert [r.filename for r in request.reference_images] == [a["filename"] for a in attachments]


@pytest.mark.parametrize("count", [1, 3])
async def test_imagine_references_are_stored_as_uploads(
    embedded_app, fake_discord: FakeDiscord, count
):
    """Passes once the core stores uploads (the core lane of this issue)."""
    async with running_adapter(embedded_app, fake_discord, worker=False):
        await imagine_with_images(fake_discord, count)
    ids, rows = await stored_references(embedded_app)
    assert len(ids) == rows == count


async def test_an_oversized_attachment_is_refused_before_any_download(
    embedded_app, fake_discord: FakeDiscord, imagine_requests
):
    limit_bytes = embedded_app.core.settings.upload_max_bytes
    async with running_adapter(embedded_app, fake_discord, worker=False):
        await accept_terms(fake_discord)
        small = fake_discord.attachment(png(1), "small.png")
        big = fake_discord.attachment(png(2), "big.png", size=limit_bytes + 1)
        sent = await run(
            fake_discord,
            "imagine",
            [option("prompt", "a cat"), *image_options([small, big])],
            attachments=(small, big),
        )
        reply = await reply_text(fake_discord, sent, "too large")
    max_mb = limit_bytes // (1024 * 1024)
    assert reply == f"That image is too large: the limit is {max_mb} MB. Nothing was charged."
    assert fake_discord.cdn.downloads == []  # not even the small one
    assert imagine_requests == []
    assert (await embedded_app.core.account(USER)).balance_credits == 20
    assert await embedded_app.core.history(USER) == []


async def test_an_attachment_discord_no_longer_serves_is_refused(
    embedded_app, fake_discord: FakeDiscord, imagine_requests
):
    async with running_adapter(embedded_app, fake_discord, worker=False):
        await accept_terms(fake_discord)
        gone = fake_discord.attachment(png(1), "gone.png")
        del fake_discord.cdn.files[gone["id"]]  # the message was deleted meanwhile
        sent = await run(
            fake_discord,
            "imagine",
            [option("prompt", "a cat"), *image_options([gone])],
            attachments=(gone,),
        )
        reply = await reply_text(fake_discord, sent, "Nothing was charged")
    assert reply == "That image is damaged or cannot be read. Nothing was charged."
    assert imagine_requests == []
    assert (await embedded_app.core.account(USER)).balance_credits == 20


async def test_a_non_image_with_an_image_name_and_type_gets_the_core_refusal(
    embedded_app, fake_discord: FakeDiscord
):
    """Discord's declared ``content_type`` is not trusted: the core reads the bytes.
    Passes once the core checks uploads (the core lane of this issue)."""
    async with running_adapter(embedded_app, fake_discord, worker=False):
        await accept_terms(fake_discord)
        fake = fake_discord.attachment(b"MZ not a picture at all", "cat.png")
        sent = await run(
            fake_discord,
            "imagine",
            [option("prompt", "a cat"), *image_options([fake])],
            attachments=(fake,),
        )
        reply = await reply_text(fake_discord, sent, "Nothing was charged")
    assert reply.startswith("That file is not an image I can read")
    assert (await embedded_app.core.account(USER)).balance_credits == 20
    assert await embedded_app.core.history(USER) == []


# -- the message command and its modal --------------------------------------------------


async def open_modal(fake: FakeDiscord, message: dict) -> tuple[dict, str]:
    """Right click > Apps > Imagine from this image: the modal Discord was asked to
    show, and its text input's custom id."""
    sent = await fake.send(fake.message_command(MENU, message))
    callback = await fake.callback_for(sent)
    assert callback.body["type"] == 9, callback.body  # MODAL, as the initial response
    modal = fake.modals[sent.token]
    (label,) = modal["components"]
    return modal, label["component"]["custom_id"]


async def imagine_from_message(fake: FakeDiscord) -> tuple[list[bytes], list[dict]]:
    """The message command on a message with two pictures, a text file and a video,
    then the modal submitted with a prompt, until the job is queued; the pictures'
    bytes and the other attachments."""
    await accept_terms(fake)
    images = [png(1), png(2)]
    pictures = [fake.attachment(b, f"p{i}.png") for i, b in enumerate(images)]
    notes = fake.attachment(b"not a picture", "notes.txt", content_type="text/plain", width=None)
    clip = fake.attachment(b"a video", "clip.mp4", content_type="video/mp4")  # has a width
    message = user_message_payload(CHANNEL_ID, 4300, [pictures[0], notes, clip, pictures[1]])
    modal, input_id = await open_modal(fake, message)
    assert modal["title"] == MENU
    (label,) = modal["components"]
    assert label["type"] == 18 and label["label"] == "What to make of the image(s)"
    assert label["component"]["max_length"] == 1000  # the core's PROMPT_MAX_CHARS
    assert fake.cdn.downloads == []  # nothing fetched before the prompt

    submit = await fake.send(fake.modal_submit(modal, {input_id: "the same cat, in space"}))
    callback = await fake.callback_for(submit)
    assert callback.body["type"] == 5  # deferred within 3 s, as /imagine is
    assert "Queued" in await reply_text(fake, submit, "Queued")
    answers = fake.find(lambda c: c.path.endswith(f"/{submit.token}/callback"))
    assert len(answers) == 1  # the open modal is not also told it expired
    return images, [notes, clip]


async def test_message_command_opens_a_modal_then_imagines_from_the_images(
    embedded_app, fake_discord: FakeDiscord, imagine_requests
):
    async with running_adapter(embedded_app, fake_discord, worker=False):
        images, others = await imagine_from_message(fake_discord)
    assert not any(fake_discord.cdn.downloaded(a) for a in others)
    (request,) = imagine_requests
    assert request.prompt == "the same cat, in space"
    assert [r.data for r in request.reference_images] == images


async def test_message_command_references_are_stored_as_uploads(
    embedded_app, fake_discord: FakeDiscord
):
    """Passes once the core stores uploads (the core lane of this issue)."""
    async with running_adapter(embedded_app, fake_discord, worker=False):
        await imagine_from_message(fake_discord)
    ids, rows = await stored_references(embedded_app)
    assert len(ids) == rows == 2


async def test_message_command_takes_as_many_images_as_the_model_does(
    embedded_app, fake_discord: FakeDiscord, imagine_requests
):
    (model,) = [m for m in embedded_app.core.models() if m.max_reference_images][:1]
    count = model.max_reference_images + 1
    async with running_adapter(embedded_app, fake_discord, worker=False):
        await accept_terms(fake_discord)
        await embedded_app.core.set_preferences(USER, model_id=model.id)
        pictures = [fake_discord.attachment(png(i), f"p{i}.png") for i in range(count)]
        message = user_message_payload(CHANNEL_ID, 4300, pictures)
        modal, input_id = await open_modal(fake_discord, message)
        submit = await fake_discord.send(fake_discord.modal_submit(modal, {input_id: "more"}))
        await reply_text(fake_discord, submit, "Queued")
    assert [fake_discord.cdn.downloaded(p) for p in pictures] == [True] * (count - 1) + [False]
    (request,) = imagine_requests
    assert len(request.reference_images) == model.max_reference_images


async def test_message_without_images_gets_a_clear_private_message(
    embedded_app, fake_discord: FakeDiscord, imagine_requests
):
    async with running_adapter(embedded_app, fake_discord, worker=False):
        await accept_terms(fake_discord)
        message = user_message_payload(CHANNEL_ID, 4300, [], content="just words")
        sent = await fake_discord.send(fake_discord.message_command(MENU, message))
        callback = await fake_discord.callback_for(sent)
    assert callback.body["type"] == 4
    assert callback.body["data"]["flags"] & EPHEMERAL
    assert callback.body["data"]["content"].startswith("That message has no image attachments.")
    assert sent.token not in fake_discord.modals
    assert imagine_requests == []
    assert (await embedded_app.core.account(USER)).balance_credits == 20


async def test_message_command_from_a_new_user_shows_the_terms(
    embedded_app, fake_discord: FakeDiscord
):
    newcomer = 4700
    async with running_adapter(embedded_app, fake_discord, worker=False):
        picture = fake_discord.attachment(png(1), "p.png")
        message = user_message_payload(CHANNEL_ID, 4300, [picture])
        sent = await fake_discord.send(
            fake_discord.message_command(MENU, message, user_id=newcomer)
        )
        await fake_discord.callback_for(sent)
        modal = fake_discord.modals[sent.token]
        input_id = modal["components"][0]["component"]["custom_id"]
        submit = await fake_discord.send(
            fake_discord.modal_submit(modal, {input_id: "a cat"}, user_id=newcomer)
        )
        followup = await fake_discord.wait_for(
            lambda c: c.method == "POST" and c.path.endswith(submit.token)
        )
    assert followup.body["flags"] & EPHEMERAL and "13 or older" in followup.body["content"]
    assert await embedded_app.core.find_account(Actor("discord", str(newcomer))) is None


async def test_a_modal_this_process_does_not_know_gets_a_clear_message(
    embedded_app, fake_discord: FakeDiscord, imagine_requests
):
    """A modal shown before a restart (or too long ago) is submitted: no modal listens
    for it any more, and the user is told to start again."""
    stale = {
        "custom_id": "sd:refs:12345",
        "title": MENU,
        "components": [
            {"type": 18, "label": "Prompt", "component": {"type": 4, "custom_id": "p", "style": 2}}
        ],
    }
    async with running_adapter(embedded_app, fake_discord, worker=False):
        await accept_terms(fake_discord)
        sent = await fake_discord.send(fake_discord.modal_submit(stale, {"p": "a cat"}))
        callback = await fake_discord.callback_for(sent)
    assert callback.body["type"] == 4 and callback.body["data"]["flags"] & EPHEMERAL
    assert callback.body["data"]["content"].startswith("That form is no longer open")
    assert imagine_requests == []
