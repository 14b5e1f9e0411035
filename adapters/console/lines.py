"""Lines from standard input, read on the event loop where it can wait for them.

Reading ``sys.stdin`` in a thread (``asyncio.to_thread``) cannot be interrupted: on
Ctrl-C the loop stops, then waits for that thread, which waits for Enter. A terminal or
a pipe is watched by the loop instead (``add_reader``), and once it is readable one
``os.read`` returns what is there without waiting, so Ctrl-C leaves at once. A regular
file (``< commands.txt``) never makes a read wait and cannot be watched: it is read in
a thread, as is any stream without a file descriptor (tests pass a ``StringIO``).
"""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import io
import os
import stat
from typing import TextIO

_CHUNK_BYTES = 65536


class LineReader:
    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._fd = _watchable_fd(stream)
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._buffer = ""
        self._ended = False

    async def readline(self) -> str:
        """The next line with its newline; the last one without; "" at end of input."""
        if self._fd is None:
            return await asyncio.to_thread(self._stream.readline)
        while "\n" not in self._buffer and not self._ended:
            try:
                chunk = await self._read_chunk(self._fd)
            except PermissionError:  # epoll refuses it (/dev/null): reads never wait
                chunk = os.read(self._fd, _CHUNK_BYTES)
            if chunk:
                self._buffer += self._decoder.decode(chunk)
            else:
                self._buffer += self._decoder.decode(b"", final=True)
                self._ended = True
        line, newline, rest = self._buffer.partition("\n")
        self._buffer = rest
        return line + newline

    @staticmethod
    async def _read_chunk(fd: int) -> bytes:
        loop = asyncio.get_running_loop()
        ready: asyncio.Future[None] = loop.create_future()

        def wake() -> None:
            if not ready.done():
                ready.set_result(None)

        loop.add_reader(fd, wake)
        try:
            await ready
        finally:
            loop.remove_reader(fd)
        return os.read(fd, _CHUNK_BYTES)


def _watchable_fd(stream: TextIO) -> int | None:
    """The descriptor of a terminal or pipe the loop can watch, else None."""
    try:
        fd = stream.fileno()
    except (AttributeError, OSError, io.UnsupportedOperation):
        return None
    with contextlib.suppress(OSError):
        if stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        return fd
    return None
