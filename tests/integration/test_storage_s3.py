"""S3ObjectStore against moto in server mode, over real HTTP."""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest

from core.storage.s3 import (
    S3ObjectStore,
    S3StorageError,
    ensure_bucket,
    open_s3_client,
    open_s3_direct,
)
from tests.support.moto import start_moto_server

pytestmark = pytest.mark.s3

REGION = "us-east-1"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


@pytest.fixture(scope="module")
def moto_endpoint() -> Iterator[str]:
    endpoint_url, stop = start_moto_server()
    try:
        yield endpoint_url
    finally:
        stop()


@pytest.fixture
async def s3_client(moto_endpoint: str) -> AsyncIterator[Any]:
    async with contextlib.AsyncExitStack() as stack:
        yield await open_s3_client(
            stack,
            endpoint_url=moto_endpoint,
            region=REGION,
            access_key_id="moto-test-key",
            secret_access_key="moto-test-secret",
        )


@pytest.fixture
async def bucket(s3_client: Any) -> str:
    # A fresh name per test: moto's state is process-wide and tests must be re-runnable.
    name = f"seedream-test-{uuid.uuid4().hex}"
    await ensure_bucket(s3_client, name)
    return name


@pytest.fixture
def store(s3_client: Any, bucket: str) -> S3ObjectStore:
    return S3ObjectStore(s3_client, bucket=bucket, key_prefix="media/")


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=10.0) as client:
        yield client


class DeleteCountingClient:
    """Passes everything to the real client, recording the size of each delete batch."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self.delete_batch_sizes: list[int] = []

    async def delete_objects(self, **kwargs: Any) -> Any:
        self.delete_batch_sizes.append(len(kwargs["Delete"]["Objects"]))
        return await self._inner.delete_objects(**kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


async def list_keys(s3_client: Any, bucket: str) -> list[str]:
    keys: list[str] = []
    paginator = s3_client.get_paginator("list_objects_v2")
    async for page in paginator.paginate(Bucket=bucket):
        keys.extend(item["Key"] for item in page.get("Contents", []))
    return keys


async def test_put_then_get_roundtrips_bytes_and_content_type(
    store: S3ObjectStore, s3_client: Any, bucket: str
) -> None:
    await store.put("images/12/5f3a.png", PNG_BYTES, "image/png")

    assert await store.get("images/12/5f3a.png") == PNG_BYTES
    head = await s3_client.head_object(Bucket=bucket, Key="media/images/12/5f3a.png")
    assert head["ContentType"] == "image/png"


async def test_get_missing_key_raises_key_error(store: S3ObjectStore) -> None:
    with pytest.raises(KeyError):
        await store.get("images/absent.png")


async def test_get_from_missing_bucket_is_a_storage_error_not_key_error(s3_client: Any) -> None:
    store = S3ObjectStore(s3_client, bucket=f"seedream-absent-{uuid.uuid4().hex}")

    with pytest.raises(S3StorageError):
        await store.get("images/a.png")


async def test_invalid_key_raises_value_error(store: S3ObjectStore) -> None:
    with pytest.raises(ValueError):
        await store.put("../escape.png", b"x", "image/png")


@pytest.mark.parametrize("signed_by", ["botocore", "direct"])
async def test_presigned_url_serves_the_bytes(
    signed_by: str,
    store: S3ObjectStore,
    direct_store: S3ObjectStore,
    http: httpx.AsyncClient,
    moto_endpoint: str,
) -> None:
    store = direct_store if signed_by == "direct" else store
    await store.put("images/1/a.png", PNG_BYTES, "image/png")

    url = await store.url("images/1/a.png", expires_s=300)
    response = await http.get(url)

    assert url.startswith(moto_endpoint)
    query = parse_qs(urlsplit(url).query)
    assert query["X-Amz-Expires"] == ["300"]
    assert "X-Amz-Signature" in query
    assert response.status_code == 200
    assert response.content == PNG_BYTES
    assert response.headers["content-type"] == "image/png"


async def test_presigned_url_without_its_signature_is_refused(
    store: S3ObjectStore, http: httpx.AsyncClient
) -> None:
    # moto does not recompute SigV4 query signatures, so a *changed* signature would
    # still be served; what it does enforce is that the private object needs one.
    await store.put("images/1/a.png", PNG_BYTES, "image/png")
    url = await store.url("images/1/a.png", expires_s=300)
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items() if k != "X-Amz-Signature"}
    stripped = parts._replace(query=urlencode(query)).geturl()

    response = await http.get(stripped)

    assert response.status_code == 403
    assert PNG_BYTES not in response.content


async def test_public_base_url_builds_plain_links(s3_client: Any, bucket: str) -> None:
    store = S3ObjectStore(
        s3_client, bucket=bucket, public_base_url="https://cdn.example.test/", key_prefix="p/"
    )

    url = await store.url("images/1/a.png", expires_s=60)

    assert url == "https://cdn.example.test/p/images/1/a.png"


async def test_delete_many_deletes_2500_keys_in_three_batches(s3_client: Any, bucket: str) -> None:
    counting = DeleteCountingClient(s3_client)
    store = S3ObjectStore(counting, bucket=bucket, key_prefix="media/")
    keys = [f"images/bulk/{n:05d}.png" for n in range(2500)]
    # The first and the last key of each batch exist (a PutObject per key costs moto
    # about 4 ms; the absent ones are deleted all the same, as S3 does).
    stored = [keys[n] for n in (0, 999, 1000, 1999, 2000, 2499)]
    await asyncio.gather(*(store.put(k, b"x", "image/png") for k in stored))
    await store.put("images/keep.png", b"k", "image/png")
    assert len(await list_keys(s3_client, bucket)) == len(stored) + 1

    deleted = await store.delete_many(keys)

    assert deleted == 2500
    assert counting.delete_batch_sizes == [1000, 1000, 500]
    assert await list_keys(s3_client, bucket) == ["media/images/keep.png"]


async def test_delete_many_of_nothing_makes_no_request(s3_client: Any, bucket: str) -> None:
    counting = DeleteCountingClient(s3_client)
    store = S3ObjectStore(counting, bucket=bucket)

    assert await store.delete_many([]) == 0
    assert counting.delete_batch_sizes == []


async def test_delete_many_tolerates_missing_keys(store: S3ObjectStore) -> None:
    await store.put("images/1/a.png", PNG_BYTES, "image/png")

    assert await store.delete_many(["images/1/a.png", "images/1/never.png"]) == 2

    with pytest.raises(KeyError):
        await store.get("images/1/a.png")


async def test_delete_many_raises_when_s3_reports_errors(
    store: S3ObjectStore, s3_client: Any, bucket: str
) -> None:
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:DeleteObject",
                "Resource": f"arn:aws:s3:::{bucket}/media/images/locked/*",
            }
        ],
    }
    await s3_client.put_bucket_policy(Bucket=bucket, Policy=json.dumps(policy))
    await store.put("images/locked/a.png", PNG_BYTES, "image/png")
    await store.put("images/free/b.png", PNG_BYTES, "image/png")

    with pytest.raises(S3StorageError) as raised:
        await store.delete_many(["images/free/b.png", "images/locked/a.png"])

    assert [(key, code) for key, code, _ in raised.value.failures] == [
        ("media/images/locked/a.png", "AccessDenied")
    ]
    assert await store.get("images/locked/a.png") == PNG_BYTES


async def test_ensure_bucket_is_idempotent(s3_client: Any, bucket: str) -> None:
    await ensure_bucket(s3_client, bucket)

    buckets = (await s3_client.list_buckets())["Buckets"]
    assert [b["Name"] for b in buckets].count(bucket) == 1


@pytest.fixture
async def direct_store(s3_client: Any, bucket: str) -> AsyncIterator[S3ObjectStore]:
    async with contextlib.AsyncExitStack() as stack:
        direct = await open_s3_direct(stack, s3_client, "moto-test-key", "moto-test-secret")
        yield S3ObjectStore(s3_client, bucket=bucket, key_prefix="media/", direct=direct)


async def test_direct_put_is_read_back_by_botocore_with_its_type(
    direct_store: S3ObjectStore, s3_client: Any, bucket: str
) -> None:
    await direct_store.put("images/1/a.png", PNG_BYTES, "image/png")

    response = await s3_client.get_object(Bucket=bucket, Key="media/images/1/a.png")
    async with response["Body"] as stream:
        body = await stream.read()
    assert body == PNG_BYTES
    assert response["ContentType"] == "image/png"
    assert await direct_store.get("images/1/a.png") == PNG_BYTES


async def test_direct_put_to_a_missing_bucket_is_a_storage_error(s3_client: Any) -> None:
    async with contextlib.AsyncExitStack() as stack:
        direct = await open_s3_direct(stack, s3_client, "moto-test-key", "moto-test-secret")
        store = S3ObjectStore(s3_client, bucket=f"absent-{uuid.uuid4().hex}", direct=direct)
        with pytest.raises(S3StorageError, match="NoSuchBucket"):
            await store.put("images/1/a.png", PNG_BYTES, "image/png")


async def test_direct_path_needs_static_credentials(s3_client: Any) -> None:
    async with contextlib.AsyncExitStack() as stack:
        assert await open_s3_direct(stack, s3_client, None, "secret") is None
        assert await open_s3_direct(stack, s3_client, "key", None) is None
