"""ObjectStore over a local folder, with HMAC-signed expiring links.

Links look like ``{public_base_url}/media/{key}?exp={unix_ts}&sig={hex}`` where ``sig`` is
HMAC-SHA256 of ``f"{key}\\n{exp}"`` under the signing secret. The web adapter
(``adapters/web/media.py``) checks them with :meth:`LocalObjectStore.verify` and streams
the file from :meth:`LocalObjectStore.open_path`.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path, PurePosixPath

__all__ = ["LocalObjectStore", "guess_content_type", "validate_key"]

_KEY_CHARS = re.compile(r"[A-Za-z0-9._/-]+")
# Ten or so digits for a unix timestamp; the bound stops absurdly long numbers early.
_EXP_DIGITS = re.compile(r"[0-9]{1,12}")

_CONTENT_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
    ".zip": "application/zip",
    ".json": "application/json",
}
_DEFAULT_CONTENT_TYPE = "application/octet-stream"


def validate_key(key: str) -> str:
    """Return ``key`` unchanged if it is a safe relative object key.

    A safe key uses only ``[A-Za-z0-9._/-]``, is relative, and has no empty, ``.`` or
    ``..`` segments, so it can never name anything outside the store's root.

    Raises:
        ValueError: the key is empty, absolute, has a backslash or other character outside
            the allowed set, or has an empty, ``.`` or ``..`` segment.
    """
    if not isinstance(key, str) or not _KEY_CHARS.fullmatch(key):
        raise ValueError(f"invalid object key {key!r}: allowed characters are [A-Za-z0-9._/-]")
    if key.startswith("/"):
        raise ValueError(f"invalid object key {key!r}: must be relative")
    parts = key.split("/")
    if "" in parts or "." in parts or ".." in parts:
        raise ValueError(f"invalid object key {key!r}: empty, '.' or '..' segment")
    return key


def guess_content_type(key: str) -> str:
    """Return the MIME type for ``key``'s extension, or ``application/octet-stream``."""
    return _CONTENT_TYPES.get(PurePosixPath(key).suffix.lower(), _DEFAULT_CONTENT_TYPE)


class LocalObjectStore:
    """Stores objects as files under ``root`` and signs expiring ``/media/`` links.

    Writes are atomic (temporary file in the same folder, then ``os.replace``) and all file
    I/O runs in a worker thread so the event loop never blocks. The content type passed to
    :meth:`put` is not stored; it is derived from the key's extension when serving.

    Args:
        root: folder holding the objects; created on first write.
        public_base_url: origin (and optional path prefix) where ``/media/`` is served.
        signing_secret: HMAC key for links; keep it out of logs and at least 32 bytes.
        clock: returns the current unix time in seconds; injectable for tests.

    Raises:
        ValueError: ``signing_secret`` or ``public_base_url`` is empty.
    """

    def __init__(
        self,
        root: Path,
        *,
        public_base_url: str,
        signing_secret: bytes,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if not signing_secret:
            raise ValueError("signing_secret must not be empty")
        if not public_base_url:
            raise ValueError("public_base_url must not be empty")
        self._root = Path(root)
        self._public_base_url = public_base_url.rstrip("/")
        self._secret = bytes(signing_secret)
        # The key's HMAC state, copied for each signature (a page signs dozens of links).
        self._keyed = hmac.new(self._secret, digestmod=hashlib.sha256)
        self._clock = clock

    def __repr__(self) -> str:  # never show the secret
        return f"LocalObjectStore(root={self._root!r}, public_base_url={self._public_base_url!r})"

    # -- ObjectStore protocol -------------------------------------------------------------

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        """Store ``data`` under ``key`` atomically, replacing anything there.

        Raises:
            ValueError: ``key`` is not a valid object key.
            OSError: the file could not be written.
        """
        path = self.open_path(key)
        await asyncio.to_thread(_write_atomically, path, bytes(data))

    async def get(self, key: str) -> bytes:
        """Return the bytes stored under ``key``.

        Raises:
            KeyError: nothing is stored under ``key``.
            ValueError: ``key`` is not a valid object key.
        """
        path = self.open_path(key)
        try:
            return await asyncio.to_thread(path.read_bytes)
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            raise KeyError(key) from None

    async def url(self, key: str, *, expires_s: int) -> str:
        """Return a signed link serving ``key`` for ``expires_s`` seconds from now.

        Raises:
            ValueError: ``key`` is invalid or ``expires_s`` is not positive.
        """
        validate_key(key)
        if expires_s <= 0:
            raise ValueError(f"expires_s must be positive, got {expires_s}")
        exp = str(int(self._clock()) + int(expires_s))
        return f"{self._public_base_url}/media/{key}?exp={exp}&sig={self._sign(key, exp)}"

    async def delete_many(self, keys: list[str]) -> int:
        """Delete the files for ``keys``; absent ones are fine. Returns ``len(keys)``.

        Every key is validated before anything is deleted.

        Raises:
            ValueError: one of ``keys`` is not a valid object key (nothing is deleted).
            OSError: a file exists but could not be removed.
        """
        paths = [self.open_path(key) for key in keys]
        await asyncio.to_thread(_unlink_all, paths)
        return len(keys)

    async def put_file(self, key: str, path: str, content_type: str) -> None:
        """Copy the file at ``path`` under ``key`` atomically (in a worker thread).

        Raises:
            ValueError: ``key`` is not a valid object key.
            OSError: the file could not be read or written.
        """
        target = self.open_path(key)
        await asyncio.to_thread(_copy_atomically, Path(path), target)

    async def list_keys(self, prefix: str) -> list[str]:
        """Every stored key under the folder ``prefix`` (e.g. ``images/12/``), sorted."""
        folder = prefix.rstrip("/")
        base = self.open_path(folder) if folder else self._root
        return await asyncio.to_thread(_list_files, self._root, base)

    # -- serving helpers ------------------------------------------------------------------

    def verify(self, key: str, exp: str, sig: str) -> bool:
        """Return True if ``sig`` is this store's signature of ``key`` and ``exp``, unexpired.

        Never raises: malformed keys, timestamps or signatures simply fail verification.
        The signature comparison is constant-time.
        """
        try:
            validate_key(key)
        except ValueError:
            return False
        if not isinstance(exp, str) or not _EXP_DIGITS.fullmatch(exp):
            return False
        if not isinstance(sig, str):
            return False
        expected = self._sign(key, exp).encode("ascii")
        good_sig = hmac.compare_digest(expected, sig.encode("utf-8", "replace"))
        return good_sig and int(exp) > self._clock()

    def content_type(self, key: str) -> str:
        """The MIME type ``key`` is served with (``guess_content_type``)."""
        return guess_content_type(key)

    def remaining_s(self, exp: str) -> int:
        """Return whole seconds until the link timestamp ``exp``; 0 if past or malformed."""
        if not isinstance(exp, str) or not _EXP_DIGITS.fullmatch(exp):
            return 0
        return max(0, int(exp) - int(self._clock()))

    def open_path(self, key: str) -> Path:
        """Return the filesystem path for ``key`` (which may not exist yet).

        Raises:
            ValueError: ``key`` is not a valid object key.
        """
        return self._root.joinpath(*validate_key(key).split("/"))

    def _sign(self, key: str, exp: str) -> str:
        mac = self._keyed.copy()
        mac.update(f"{key}\n{exp}".encode())
        return mac.hexdigest()


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # The temporary file lives in the destination folder so os.replace stays on one
    # filesystem and is atomic: readers see the old bytes or the new ones, never a mix.
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as tmp:
            tmp.write(data)
            tmp.flush()
            os.fsync(tmp.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def _copy_atomically(source: Path, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as tmp, source.open("rb") as src:
            shutil.copyfileobj(src, tmp, 1024 * 1024)
            tmp.flush()
            os.fsync(tmp.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def _list_files(root: Path, base: Path) -> list[str]:
    if not base.is_dir():
        return []
    return sorted(
        p.relative_to(root).as_posix()
        for p in base.rglob("*")
        if p.is_file() and not p.name.startswith(".")  # not a write in progress
    )


def _unlink_all(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)
