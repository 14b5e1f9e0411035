"""``/imagine … --image PATH`` in the console: reference images from local files.

The option is the console's own (Discord and Telegram bring images their own way), so
it is taken out of the text here and the rest goes to the core's parser unchanged. Only
files on this computer are read, never a web address; each file's size is checked by
the core before it is read, and its bytes by the core after (type by content, pixels,
metadata: ``Core.imagine``).
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from pathlib import Path

from core import Core, ReferenceUpload

# "--image PATH", the path plain or quoted; a phone's em or en dash counts as "--". The
# option must stand on its own (not "--images", not inside a word).
_IMAGE_OPTION = re.compile(
    r"""(?<!\S)(?:--|\u2014|\u2013)image(?!\S)(?:\s+("[^"]*"|'[^']*'|\S+))?""",
    re.IGNORECASE,
)


class ImageOptionError(Exception):
    """A ``--image`` the console cannot use: ``key`` (a console text) and its params."""

    def __init__(self, key: str, **params: str) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


def split_image_options(text: str) -> tuple[str, list[str]]:
    """``text`` without its ``--image PATH`` pairs, and the paths in order.

    Raises:
        ImageOptionError: ``--image`` without a path (``console.image_missing``).
    """
    paths: list[str] = []

    def take(match: re.Match[str]) -> str:
        raw = match.group(1)
        if raw is None or raw.startswith(("--", "\u2014", "\u2013")):
            raise ImageOptionError("console.image_missing")
        if raw[:1] in "\"'":
            raw = raw[1:-1]
        if not raw:
            raise ImageOptionError("console.image_missing")
        paths.append(raw)
        return " "

    rest = _IMAGE_OPTION.sub(take, text)
    return " ".join(rest.split()), paths


async def read_references(core: Core, paths: list[str]) -> tuple[ReferenceUpload, ...]:
    """The files at ``paths`` as reference images, in order.

    Raises:
        ImageOptionError: a web address (``console.image_local_only``), or a path that is
            missing, not a file or unreadable (``console.image_unreadable``).
        ReferenceImageRefused: uploads are off, or a file is empty or over the size
            limit (``Core.check_reference_size``, before it is read).
    """
    references = []
    for raw in paths:
        if "://" in raw:
            raise ImageOptionError("console.image_local_only", path=raw)
        references.append(await asyncio.to_thread(_read_file, raw, core.check_reference_size))
    return tuple(references)


def _read_file(raw: str, check_size: Callable[[int], None]) -> ReferenceUpload:
    """One file, its declared size checked before its bytes are read (in a thread)."""
    try:
        # "~someone/x.png" for a user this computer does not have: RuntimeError.
        path = Path(raw).expanduser()
        if not path.is_file():
            raise ImageOptionError("console.image_unreadable", path=raw)
        size_bytes = path.stat().st_size
    except (OSError, RuntimeError):
        raise ImageOptionError("console.image_unreadable", path=raw) from None
    check_size(size_bytes)
    try:
        data = path.read_bytes()
    except OSError:
        raise ImageOptionError("console.image_unreadable", path=raw) from None
    return ReferenceUpload(data, path.name)
