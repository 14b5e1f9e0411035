"""The Telegram adapter's reading of reference images, with no I/O: which command a
caption carries, which image a message gives, and an album collected from its items."""

from __future__ import annotations

import asyncio
from typing import Any

from telegram import Message

from adapters.telegram.references import Albums, caption_command, own_attachments

CHAT = {"id": 7, "type": "private", "first_name": "Ada"}


def message(message_id: int = 1, **fields: Any) -> Message:
    payload = {"message_id": message_id, "date": 0, "chat": CHAT, **fields}
    return Message.de_json(payload, None)


def command_caption(caption: str) -> Message:
    length = len(caption.split()[0])
    return message(
        caption=caption, caption_entities=[{"type": "bot_command", "offset": 0, "length": length}]
    )


def size(file_id: str, width: int, height: int, file_size: int | None = None) -> dict:
    return {
        "file_id": file_id,
        "file_unique_id": f"u{file_id}",
        "width": width,
        "height": height,
        **({"file_size": file_size} if file_size is not None else {}),
    }


def test_caption_commands_are_read_like_command_handler_reads_texts():
    assert caption_command(command_caption("/imagine a fox  in\nsnow"), "seedbot") == (
        "imagine",
        "a fox in snow",
    )
    assert caption_command(command_caption("/Imagine@SeedBot a fox"), "seedbot") == (
        "imagine",
        "a fox",
    )
    assert caption_command(command_caption("/imagine@otherbot a fox"), "seedbot") is None
    assert caption_command(message(caption="/imagine typed, no entity"), "seedbot") is None
    not_first = message(
        caption="see /imagine",
        caption_entities=[{"type": "bot_command", "offset": 4, "length": 8}],
    )
    assert caption_command(not_first, "seedbot") is None


def test_a_photo_gives_its_largest_size_and_a_document_its_declared_kind():
    photo = message(photo=[size("s", 90, 67, 1_000), size("x", 1280, 960), size("m", 320, 240)])
    [largest] = own_attachments(photo)
    assert largest.file_id == "x" and largest.file_size is None and largest.is_image
    png = message(
        document={"file_id": "d", "file_unique_id": "ud", "mime_type": "IMAGE/PNG", "file_size": 5}
    )
    assert own_attachments(png)[0].is_image and own_attachments(png)[0].file_size == 5
    pdf = message(document={"file_id": "p", "file_unique_id": "up", "mime_type": "application/pdf"})
    assert not own_attachments(pdf)[0].is_image
    assert own_attachments(message(text="hi")) == () and own_attachments(None) == ()


async def test_an_album_is_collected_in_order_including_items_that_come_while_waiting():
    albums = Albums(quiet_s=0.2, max_wait_s=5.0)

    def item(message_id: int, **fields: Any) -> Message:
        return message(
            message_id, media_group_id="g1", photo=[size(f"f{message_id}", 10, 10)], **fields
        )

    albums.add(item(3))
    captioned = item(2, caption="/imagine all")
    collecting = asyncio.create_task(albums.collect(captioned))
    await asyncio.sleep(0)  # let collect start waiting
    albums.add(item(4))
    collected = await collecting
    assert [a.file_id for a in collected] == ["f2", "f3", "f4"]
    # Another chat's album with the same id is another album; a lone photo is itself.
    other = message(9, media_group_id="g1", photo=[size("o", 10, 10)])
    other = Message.de_json({**other.to_dict(), "chat": {"id": 8, "type": "private"}}, None)
    assert [a.file_id for a in await albums.collect(other)] == ["o"]
    lone = message(10, photo=[size("lone", 10, 10)])
    assert [a.file_id for a in await albums.collect(lone)] == ["lone"]


async def test_a_full_album_is_not_waited_for():
    albums = Albums(quiet_s=60.0, max_wait_s=60.0)  # would time the test out if waited for
    for n in range(1, 10):
        albums.add(message(n, media_group_id="g", photo=[size(f"f{n}", 10, 10)]))
    last = message(10, media_group_id="g", photo=[size("f10", 10, 10)], caption="/imagine")
    assert len(await asyncio.wait_for(albums.collect(last), 5.0)) == 10
