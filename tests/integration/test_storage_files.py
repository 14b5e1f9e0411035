"""The two storage operations privacy needs, on both stores: storing a large file from
disk without reading it whole (S3: in parts, over real HTTP to moto) and listing keys
under a folder (S3: across pages)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import uuid

import pytest

from core.storage.local import LocalObjectStore
from core.storage.s3 import S3ObjectStore, ensure_bucket, open_s3_client
from tests.support.moto import start_moto_server


@pytest.fixture(scope="module")
def moto_endpoint():
    endpoint_url, stop = start_moto_server()
    yield endpoint_url
    stop()


@pytest.fixture(params=["local", "s3"])
async def store(request, tmp_path):
    if request.param == "local":
        yield LocalObjectStore(
            tmp_path / "media", public_base_url="http://127.0.0.1:9", signing_secret=b"k" * 32
        )
        return
    endpoint = request.getfixturevalue("moto_endpoint")
    async with contextlib.AsyncExitStack() as stack:
        client = await open_s3_client(
            stack,
            endpoint_url=endpoint,
            region="us-east-1",
            access_key_id="moto-test-key",
            secret_access_key="moto-test-secret",
        )
        bucket = f"seedream-files-{uuid.uuid4().hex[:12]}"
        await ensure_bucket(client, bucket)
        yield S3ObjectStore(client, bucket=bucket, key_prefix="p/")


async def test_put_file_stores_a_multipart_sized_file_intact(store, tmp_path):
    data = os.urandom(20 * 1024 * 1024 + 123)  # three parts of 8 MiB on S3
    path = tmp_path / "big.zip"
    path.write_bytes(data)
    await store.put_file("exports/7/big.zip", str(path), "application/zip")
    assert await store.get("exports/7/big.zip") == data


async def test_list_keys_finds_every_key_under_a_folder_only(store):
    keys = [f"images/12/job{i:04d}/0.png" for i in range(1010)]  # more than one S3 page
    semaphore = asyncio.Semaphore(32)

    async def put(key: str) -> None:
        async with semaphore:
            await store.put(key, b"x", "image/png")

    await asyncio.gather(*(put(k) for k in [*keys, "images/123/other/0.png"]))
    assert sorted(await store.list_keys("images/12/")) == keys
    assert await store.list_keys("images/99/") == []
    assert len(await store.list_keys("")) == len(keys) + 1
