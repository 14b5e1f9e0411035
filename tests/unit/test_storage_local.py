"""LocalObjectStore: files, atomic writes, key validation and signed links."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from core.storage.local import LocalObjectStore, guess_content_type, validate_key

SECRET = b"unit-test-signing-secret-0123456789"
BASE_URL = "https://media.example.test"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + bytes(range(256))


class FakeClock:
    def __init__(self, now_s: float = 1_700_000_000.0) -> None:
        self.now_s = now_s

    def __call__(self) -> float:
        return self.now_s


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def store(tmp_path: Path, clock: FakeClock) -> LocalObjectStore:
    return LocalObjectStore(
        tmp_path / "media", public_base_url=BASE_URL + "/", signing_secret=SECRET, clock=clock
    )


def split_link(url: str) -> tuple[str, str, str]:
    """Return (key, exp, sig) from a /media/ link."""
    parts = urlsplit(url)
    assert parts.path.startswith("/media/")
    query = parse_qs(parts.query, strict_parsing=True)
    return parts.path.removeprefix("/media/"), query["exp"][0], query["sig"][0]


async def test_put_then_get_roundtrips_bytes(store: LocalObjectStore) -> None:
    await store.put("images/12/5f3a.png", PNG_BYTES, "image/png")

    assert await store.get("images/12/5f3a.png") == PNG_BYTES
    assert store.open_path("images/12/5f3a.png").read_bytes() == PNG_BYTES


async def test_get_missing_key_raises_key_error(store: LocalObjectStore) -> None:
    with pytest.raises(KeyError):
        await store.get("images/absent.png")


async def test_get_of_a_folder_is_missing_too(store: LocalObjectStore) -> None:
    await store.put("images/1/a.png", PNG_BYTES, "image/png")

    with pytest.raises(KeyError):
        await store.get("images/1")


async def test_overwrite_replaces_atomically_and_leaves_no_temp_files(
    store: LocalObjectStore,
) -> None:
    await store.put("exports/7.zip", b"old" * 1000, "application/zip")
    await store.put("exports/7.zip", b"new", "application/zip")

    assert await store.get("exports/7.zip") == b"new"
    assert os.listdir(store.open_path("exports/7.zip").parent) == ["7.zip"]


async def test_concurrent_overwrites_never_expose_a_partial_file(store: LocalObjectStore) -> None:
    # Each writer's payload is uniform, so any torn read would mix two byte values.
    payloads = [bytes([n]) * 200_000 for n in range(8)]
    await asyncio.gather(*(store.put("images/race.png", p, "image/png") for p in payloads))

    assert await store.get("images/race.png") in payloads
    assert os.listdir(store.open_path("images/race.png").parent) == ["race.png"]


async def test_url_has_expected_shape_and_expiry(store: LocalObjectStore, clock: FakeClock) -> None:
    url = await store.url("images/1/a.png", expires_s=600)

    assert url.startswith(f"{BASE_URL}/media/images/1/a.png?exp=")
    key, exp, sig = split_link(url)
    assert key == "images/1/a.png"
    assert int(exp) == int(clock.now_s) + 600
    assert len(sig) == 64 and all(c in "0123456789abcdef" for c in sig)


async def test_signed_link_verifies_until_it_expires(
    store: LocalObjectStore, clock: FakeClock
) -> None:
    key, exp, sig = split_link(await store.url("images/1/a.png", expires_s=60))

    assert store.verify(key, exp, sig) is True
    assert store.remaining_s(exp) == 60
    clock.now_s += 59
    assert store.verify(key, exp, sig) is True
    clock.now_s += 1
    assert store.verify(key, exp, sig) is False
    assert store.remaining_s(exp) == 0


async def test_tampered_signature_is_rejected(store: LocalObjectStore) -> None:
    key, exp, sig = split_link(await store.url("images/1/a.png", expires_s=60))
    flipped = ("0" if sig[0] != "0" else "1") + sig[1:]

    assert store.verify(key, exp, flipped) is False
    assert store.verify(key, exp, sig.upper()) is False
    assert store.verify(key, exp, "") is False
    assert store.verify(key, exp, "é" * 64) is False


async def test_signature_does_not_transfer_to_another_key_or_expiry(
    store: LocalObjectStore,
) -> None:
    key, exp, sig = split_link(await store.url("images/1/a.png", expires_s=60))

    assert store.verify("images/1/b.png", exp, sig) is False
    assert store.verify(key, str(int(exp) + 3600), sig) is False


async def test_signature_from_another_secret_is_rejected(
    tmp_path: Path, store: LocalObjectStore, clock: FakeClock
) -> None:
    other = LocalObjectStore(
        tmp_path, public_base_url=BASE_URL, signing_secret=b"another-secret", clock=clock
    )
    key, exp, sig = split_link(await other.url("images/1/a.png", expires_s=60))

    assert other.verify(key, exp, sig) is True
    assert store.verify(key, exp, sig) is False


@pytest.mark.parametrize("exp", ["", "abc", "-5", "1e10", " 1700000060", "1700000060.0", "9" * 40])
async def test_malformed_expiry_is_rejected(store: LocalObjectStore, exp: str) -> None:
    _, _, sig = split_link(await store.url("images/1/a.png", expires_s=60))

    assert store.verify("images/1/a.png", exp, sig) is False
    assert store.remaining_s(exp) == 0


@pytest.mark.parametrize(
    "key",
    [
        "../x",
        "/etc/passwd",
        "a\\b",
        "images/../../x",
        "images/./a.png",
        "images//a.png",
        "images/",
        "",
        "C:/x",
        "images/a b.png",
        "images/ü.png",
        "images/a.png?x=1",
    ],
)
async def test_unsafe_keys_raise_value_error_everywhere(
    store: LocalObjectStore, tmp_path: Path, key: str
) -> None:
    with pytest.raises(ValueError):
        validate_key(key)
    with pytest.raises(ValueError):
        await store.put(key, b"x", "image/png")
    with pytest.raises(ValueError):
        await store.get(key)
    with pytest.raises(ValueError):
        await store.url(key, expires_s=60)
    with pytest.raises(ValueError):
        await store.delete_many(["images/ok.png", key])
    with pytest.raises(ValueError):
        store.open_path(key)
    assert store.verify(key, "9999999999", "0" * 64) is False
    assert not (tmp_path / "x").exists()


async def test_url_rejects_non_positive_expiry(store: LocalObjectStore) -> None:
    with pytest.raises(ValueError):
        await store.url("images/1/a.png", expires_s=0)


async def test_delete_many_removes_files_and_tolerates_missing(store: LocalObjectStore) -> None:
    for name in ("a", "b", "c"):
        await store.put(f"images/3/{name}.png", PNG_BYTES, "image/png")

    deleted = await store.delete_many(["images/3/a.png", "images/3/b.png", "images/3/zz.png"])

    assert deleted == 3
    for gone in ("images/3/a.png", "images/3/b.png"):
        with pytest.raises(KeyError):
            await store.get(gone)
    assert await store.get("images/3/c.png") == PNG_BYTES
    assert await store.delete_many([]) == 0


async def test_delete_many_with_an_invalid_key_deletes_nothing(store: LocalObjectStore) -> None:
    await store.put("images/4/a.png", PNG_BYTES, "image/png")

    with pytest.raises(ValueError):
        await store.delete_many(["images/4/a.png", "../etc/passwd"])

    assert await store.get("images/4/a.png") == PNG_BYTES


def test_constructor_rejects_empty_secret(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        LocalObjectStore(tmp_path, public_base_url=BASE_URL, signing_secret=b"")


def test_repr_does_not_leak_the_secret(store: LocalObjectStore) -> None:
    assert SECRET.decode() not in repr(store)


@pytest.mark.parametrize(
    ("key", "content_type"),
    [
        ("a/b.png", "image/png"),
        ("a/b.JPG", "image/jpeg"),
        ("a/b.jpeg", "image/jpeg"),
        ("a/b.webp", "image/webp"),
        ("exports/1.zip", "application/zip"),
        ("exports/1.json", "application/json"),
        ("a/b.bin", "application/octet-stream"),
        ("a/noext", "application/octet-stream"),
    ],
)
def test_guess_content_type(key: str, content_type: str) -> None:
    assert guess_content_type(key) == content_type
