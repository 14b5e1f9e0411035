"""Reference images from Discord: the attachment options of /imagine (``image``,
``image2``, ``image3``) and the message command "Imagine from this image"
(``adapters.discord.from_message``), which asks for the prompt in this module's modal
and uses the message's attachments.

Only attachments are used, never a link or an embed's (proxy) URL: an attachment's
``url`` is Discord's own CDN, handed over by Discord, not an address a user typed. Each
one's declared ``size`` is checked by the core before anything is downloaded; its
declared ``content_type`` is not trusted (the core checks the bytes).

The modal is answered inside Discord's 3 s as the initial response (a modal cannot
follow a deferral). What it needs on submit (the message's attachments) stays on the
modal object, in memory, for :data:`MODAL_TIMEOUT_S`: the attachments of a message
another member sent cannot be fetched again later without the privileged message
content intent, whereas the interaction hands them over in ``resolved.messages``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace

import discord

from adapters.discord.render import Texts, clip
from core import PROMPT_MAX_CHARS, Core, ImagineRequest, ReferenceImageRefused, ReferenceUpload

log = logging.getLogger("seedream.discord")

MODAL_TIMEOUT_S = 15 * 60.0  # then a submit finds no modal (Discord shows its own error)
MODAL_ID_PREFIX = "sd:refs:"
# https://discord.com/developers/docs/interactions/receiving-and-responding
# (Modal: title max 45 characters) and /components/reference (Label: label max 45;
# Text Input: max_length at most 4000).
MODAL_TITLE_MAX_CHARS = 45
LABEL_MAX_CHARS = 45
TEXT_INPUT_MAX_CHARS = 4000


def is_image(attachment: discord.Attachment) -> bool:
    """Which attachments of a message are offered as references: those Discord describes
    as images (an ``image/*`` type, or no type but a width; a video has a width too, and
    a ``video/*`` type). Only a hint for choosing; the core decides by the bytes."""
    kind = (attachment.content_type or "").lower()
    return kind.startswith("image/") or (not kind and attachment.width is not None)


async def download(
    core: Core, attachments: Sequence[discord.Attachment]
) -> tuple[ReferenceUpload, ...]:
    """Every attachment's declared size checked first, then each downloaded from
    Discord's CDN (discord.py's own session).

    Raises:
        ReferenceImageRefused: a declared size the core refuses (nothing downloaded), or
            a file Discord no longer serves (``unreadable``).
    """
    for attachment in attachments:
        core.check_reference_size(attachment.size)
    uploads = []
    for attachment in attachments:
        try:
            data = await attachment.read()
        except discord.HTTPException as exc:  # a deleted message's file: 404
            log.warning("could not download a reference image: HTTP %s", exc.status)
            raise ReferenceImageRefused(reason="unreadable") from exc
        uploads.append(ReferenceUpload(data, attachment.filename))
    return tuple(uploads)


async def with_references(
    core: Core, request: ImagineRequest, attachments: Sequence[discord.Attachment]
) -> ImagineRequest:
    if not attachments:
        return request
    return replace(request, reference_images=await download(core, attachments))


class OpenModals:
    """The modals this process showed and still listens to, by ``custom_id``: a submit
    of one it does not know (shown before a restart, or past :data:`MODAL_TIMEOUT_S`)
    gets a clear message instead of Discord's "This interaction failed"."""

    def __init__(
        self, timeout_s: float = MODAL_TIMEOUT_S, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._timeout_s = timeout_s
        self._clock = clock
        self._deadlines: dict[str, float] = {}

    def add(self, custom_id: str) -> None:
        now = self._clock()
        self._deadlines = {k: v for k, v in self._deadlines.items() if v > now}
        # From now: discord.py's own timeout started when the modal was built, so it
        # stops listening first, and a submit is never answered twice.
        self._deadlines[custom_id] = now + self._timeout_s

    def knows(self, custom_id: str) -> bool:
        return self._deadlines.get(custom_id, 0.0) > self._clock()


class PromptModal(discord.ui.Modal):
    """Asks for the prompt; on submit, ``submitted(interaction, prompt)`` runs."""

    def __init__(
        self,
        t: Texts,
        custom_id: str,
        submitted: Callable[[discord.Interaction, str], Awaitable[None]],
        failed: Callable[[discord.Interaction, Exception], Awaitable[None]],
    ) -> None:
        super().__init__(
            title=clip(t("discord.references.modal_title"), MODAL_TITLE_MAX_CHARS),
            timeout=MODAL_TIMEOUT_S,
            custom_id=custom_id,
        )
        self.prompt: discord.ui.TextInput = discord.ui.TextInput(
            style=discord.TextStyle.paragraph,
            min_length=1,
            max_length=min(PROMPT_MAX_CHARS, TEXT_INPUT_MAX_CHARS),
            placeholder=clip(t("discord.references.modal_placeholder"), 100),
        )
        # A Label around the text input: Discord's documented form (a text input in an
        # action row is deprecated in modals).
        label = clip(t("discord.references.modal_label"), LABEL_MAX_CHARS)
        self.add_item(discord.ui.Label(text=label, component=self.prompt))
        self._submitted = submitted
        self._failed = failed

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await self._submitted(interaction, self.prompt.value)

    # discord.py's own Modal.on_error narrows BaseView's signature the same way.
    async def on_error(  # type: ignore[override]
        self, interaction: discord.Interaction, error: Exception, /
    ) -> None:
        await self._failed(interaction, error)
