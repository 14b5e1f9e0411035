"""ObjectStore over S3 or an S3-compatible service (Cloudflare R2, MinIO, moto).

The aioboto3 client is opened once by the process (``open_s3_client`` into the
composition root's ``AsyncExitStack``) and passed in; this module never owns its lifetime.
With static credentials, the two requests of the job path (PUT an image, presign its
link) can skip botocore: ``S3Direct`` signs them itself (``core.storage.sigv4``) and sends the
PUT over an aiohttp session (the HTTP client aiobotocore itself uses; httpx costs about
three times its CPU per request), at a fraction of botocore's CPU.
botocore failures are re-raised as :class:`S3StorageError` (``raise ... from exc``) so
callers need not import botocore.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import aioboto3
import aiohttp
from aiobotocore.config import AioConfig
from botocore.exceptions import BotoCoreError, ClientError

from core.clock import utcnow
from core.storage.local import validate_key
from core.storage.sigv4 import S3Signer

__all__ = ["S3Direct", "S3ObjectStore", "S3StorageError", "ensure_bucket", "open_s3_client"]

# S3's hard limit on keys per DeleteObjects request.
DELETE_BATCH_SIZE = 1000
# Large uploads (exports) go in parts of 8 MiB (S3 wants at least 5 MiB), one at a time.
_PART_BYTES = 8 * 1024 * 1024

_MISSING_KEY_CODES = frozenset({"NoSuchKey", "404", "NotFound"})
_MISSING_BUCKET_CODES = frozenset({"NoSuchBucket", "404", "NotFound"})
# Regions where CreateBucket must NOT carry a LocationConstraint.
_NO_LOCATION_CONSTRAINT_REGIONS = frozenset({None, "", "us-east-1", "auto"})


class S3StorageError(Exception):
    """The S3 service refused or failed an operation.

    Attributes:
        failures: for ``delete_many``, the ``(key, code, message)`` triples S3 reported;
            empty for other operations.
    """

    def __init__(self, message: str, *, failures: list[tuple[str, str, str]] | None = None):
        super().__init__(message)
        self.failures: list[tuple[str, str, str]] = failures or []


_XML_CODE = re.compile(rb"<Code>([^<]{1,100})</Code>")


@dataclass(frozen=True, slots=True)
class S3Direct:
    """PUTs and presigned links signed here and sent over ``http`` (see module doc)."""

    signer: S3Signer
    http: aiohttp.ClientSession

    @classmethod
    def for_client(
        cls,
        client: Any,
        http: aiohttp.ClientSession,
        *,
        access_key_id: str,
        secret_access_key: str,
    ) -> S3Direct:
        """Sign for the endpoint and region ``client`` (aioboto3) talks to."""
        signer = S3Signer(
            client.meta.endpoint_url, client.meta.region_name, access_key_id, secret_access_key
        )
        return cls(signer, http)


def _error_code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


@contextlib.contextmanager
def _s3_errors(operation: str) -> Iterator[None]:
    try:
        yield
    except ClientError as exc:
        raise S3StorageError(f"S3 {operation} failed: {_error_code(exc) or exc}") from exc
    except BotoCoreError as exc:
        raise S3StorageError(f"S3 {operation} failed: {type(exc).__name__}") from exc


class S3ObjectStore:
    """Stores objects in one S3 bucket, optionally under a key prefix.

    Links are either plain ``{public_base_url}/{prefix}{key}`` (for a public bucket or a
    CDN in front of it) or SigV4 presigned GET URLs that expire.

    Args:
        client: an open aioboto3 S3 client; the caller closes it.
        bucket: bucket name.
        public_base_url: if set, :meth:`url` returns unsigned public links under it.
        key_prefix: prepended verbatim to every key, e.g. ``"seedream/"``.
        direct: sign and send PUTs and presigned links without botocore.
    """

    def __init__(
        self,
        client: Any,  # aiobotocore S3 client; its class is generated at runtime
        *,
        bucket: str,
        public_base_url: str | None = None,
        key_prefix: str = "",
        direct: S3Direct | None = None,
    ) -> None:
        if not bucket:
            raise ValueError("bucket must not be empty")
        self._client = client
        self._bucket = bucket
        self._public_base_url = public_base_url.rstrip("/") if public_base_url else None
        self._key_prefix = key_prefix
        self._direct = direct

    def _object_key(self, key: str) -> str:
        return self._key_prefix + validate_key(key)

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        """Store ``data`` under ``key`` with ``content_type``, replacing anything there.

        Raises:
            ValueError: ``key`` is not a valid object key.
            S3StorageError: S3 refused or failed the upload.
        """
        object_key = self._object_key(key)
        if self._direct is not None:
            return await self._put_direct(object_key, bytes(data), content_type)
        with _s3_errors("PutObject"):
            await self._client.put_object(
                Bucket=self._bucket, Key=object_key, Body=bytes(data), ContentType=content_type
            )

    async def _put_direct(self, object_key: str, data: bytes, content_type: str) -> None:
        assert self._direct is not None
        url, headers = self._direct.signer.put_object(
            self._bucket, object_key, data, content_type, now=utcnow()
        )
        try:
            async with self._direct.http.put(url, data=data, headers=headers) as response:
                body = await response.read()
                status = response.status
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise S3StorageError(f"S3 PutObject failed: {type(exc).__name__}") from exc
        if status != 200:
            found = _XML_CODE.search(body)
            code = found.group(1).decode() if found else f"HTTP {status}"
            raise S3StorageError(f"S3 PutObject failed: {code}")

    async def get(self, key: str) -> bytes:
        """Return the bytes stored under ``key``.

        Raises:
            KeyError: nothing is stored under ``key``.
            ValueError: ``key`` is not a valid object key.
            S3StorageError: any other S3 failure.
        """
        object_key = self._object_key(key)
        try:
            response = await self._client.get_object(Bucket=self._bucket, Key=object_key)
        except ClientError as exc:
            if _error_code(exc) in _MISSING_KEY_CODES:
                raise KeyError(key) from None
            raise S3StorageError(f"S3 GetObject failed: {_error_code(exc) or exc}") from exc
        except BotoCoreError as exc:
            raise S3StorageError(f"S3 GetObject failed: {type(exc).__name__}") from exc
        with _s3_errors("GetObject body read"):
            async with response["Body"] as stream:
                return await stream.read()

    async def url(self, key: str, *, expires_s: int) -> str:
        """Return a link to ``key``: public if ``public_base_url`` is set, else presigned.

        Public links do not expire; ``expires_s`` only applies to presigned links.

        Raises:
            ValueError: ``key`` is invalid or ``expires_s`` is not positive.
            S3StorageError: the URL could not be signed (e.g. no credentials).
        """
        object_key = self._object_key(key)
        if expires_s <= 0:
            raise ValueError(f"expires_s must be positive, got {expires_s}")
        if self._public_base_url is not None:
            return f"{self._public_base_url}/{object_key}"
        if self._direct is not None:
            return self._direct.signer.presign_get(
                self._bucket, object_key, expires_s=int(expires_s), now=utcnow()
            )
        with _s3_errors("presign GetObject"):
            url: str = await self._client.generate_presigned_url(
                "get_object",
                Params={"Bucket": self._bucket, "Key": object_key},
                ExpiresIn=int(expires_s),
            )
        return url

    async def delete_many(self, keys: list[str]) -> int:
        """Delete ``keys`` in batches of 1000; absent ones are fine. Returns ``len(keys)``.

        All keys are validated before the first request. Batches run in order; if one
        fails, earlier batches stay deleted and retrying the whole call is safe.

        Raises:
            ValueError: one of ``keys`` is not a valid object key (nothing is deleted).
            S3StorageError: S3 failed a request or reported per-key ``Errors``; the
                ``failures`` attribute lists them.
        """
        object_keys = [self._object_key(key) for key in keys]
        for start in range(0, len(object_keys), DELETE_BATCH_SIZE):
            batch = object_keys[start : start + DELETE_BATCH_SIZE]
            with _s3_errors("DeleteObjects"):
                response = await self._client.delete_objects(
                    Bucket=self._bucket,
                    Delete={"Objects": [{"Key": k} for k in batch], "Quiet": True},
                )
            failures = [
                (str(err.get("Key", "")), str(err.get("Code", "")), str(err.get("Message", "")))
                for err in response.get("Errors") or []
            ]
            if failures:
                key, code, _ = failures[0]
                raise S3StorageError(
                    f"S3 DeleteObjects refused {len(failures)} key(s), first {key!r}: {code}",
                    failures=failures,
                )
        return len(keys)

    async def put_file(self, key: str, path: str, content_type: str) -> None:
        """Upload the file at ``path`` under ``key``: one request up to 8 MiB, else a
        multipart upload of 8 MiB parts sent one by one, the next read ahead in a worker
        thread (two parts in memory at most). A failed multipart upload is aborted.

        Raises:
            ValueError: ``key`` is not a valid object key.
            OSError: the file could not be read.
            S3StorageError: S3 refused or failed the upload.
        """
        object_key = self._object_key(key)
        raw = await asyncio.to_thread(open, path, "rb")
        with raw:
            first = await asyncio.to_thread(raw.read, _PART_BYTES)
            following = await asyncio.to_thread(raw.read, _PART_BYTES)
            if not following:
                with _s3_errors("PutObject"):
                    await self._client.put_object(
                        Bucket=self._bucket,
                        Key=object_key,
                        Body=io.BytesIO(first),
                        ContentType=content_type,
                    )
                return
            with _s3_errors("CreateMultipartUpload"):
                upload = await self._client.create_multipart_upload(
                    Bucket=self._bucket, Key=object_key, ContentType=content_type
                )
            target = {"Bucket": self._bucket, "Key": object_key, "UploadId": upload["UploadId"]}
            try:
                parts: list[dict[str, Any]] = []
                chunk = first
                while chunk:
                    number = len(parts) + 1
                    with _s3_errors("UploadPart"):
                        sent = await self._client.upload_part(
                            **target, PartNumber=number, Body=io.BytesIO(chunk)
                        )
                    parts.append({"ETag": sent["ETag"], "PartNumber": number})
                    chunk, following = (
                        following,
                        (await asyncio.to_thread(raw.read, _PART_BYTES) if following else b""),
                    )
                with _s3_errors("CompleteMultipartUpload"):
                    await self._client.complete_multipart_upload(
                        **target, MultipartUpload={"Parts": parts}
                    )
            except BaseException:
                with contextlib.suppress(Exception):
                    await asyncio.shield(self._client.abort_multipart_upload(**target))
                raise

    async def list_keys(self, prefix: str) -> list[str]:
        """Every key starting with ``prefix`` (without this store's key prefix).

        Raises:
            S3StorageError: S3 failed a listing request.
        """
        found: list[str] = []
        kwargs: dict[str, Any] = {"Bucket": self._bucket, "Prefix": self._key_prefix + prefix}
        while True:
            with _s3_errors("ListObjectsV2"):
                page = await self._client.list_objects_v2(**kwargs)
            found += [obj["Key"][len(self._key_prefix) :] for obj in page.get("Contents") or []]
            if not page.get("IsTruncated"):
                return found
            kwargs["ContinuationToken"] = page["NextContinuationToken"]


async def open_s3_client(
    stack: contextlib.AsyncExitStack,
    *,
    endpoint_url: str | None,
    region: str,
    access_key_id: str | None,
    secret_access_key: str | None,
) -> Any:
    """Open an aioboto3 S3 client whose closing is registered on ``stack``.

    Uses SigV4 and path-style addressing, which R2, MinIO and moto all accept.
    ``endpoint_url=None`` means AWS itself; ``None`` credentials mean botocore's default
    credential chain (environment, instance role, ...).

    Raises:
        botocore.exceptions.BotoCoreError: the client could not be configured.
    """
    session = aioboto3.Session()
    config = AioConfig(signature_version="s3v4", s3={"addressing_style": "path"})
    return await stack.enter_async_context(
        session.client(
            "s3",
            endpoint_url=endpoint_url,
            region_name=region,
            aws_access_key_id=access_key_id,
            aws_secret_access_key=secret_access_key,
            config=config,
        )
    )


async def open_s3_direct(
    stack: contextlib.AsyncExitStack,
    client: Any,
    access_key_id: str | None,
    secret_access_key: str | None,
    *,
    max_connections: int = 100,
) -> S3Direct | None:
    """An :class:`S3Direct` for ``client``'s endpoint whose session closes with ``stack``;
    ``None`` without static credentials (botocore's credential chain then does it all)."""
    if not access_key_id or not secret_access_key:
        return None
    session = aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=max_connections),
        timeout=aiohttp.ClientTimeout(total=120.0, connect=10.0),
        skip_auto_headers=("Content-Type",),
    )
    stack.push_async_callback(session.close)
    return S3Direct.for_client(
        client, session, access_key_id=access_key_id, secret_access_key=secret_access_key
    )


async def ensure_bucket(client: Any, bucket: str) -> None:
    """Create ``bucket`` unless it already exists (and is ours).

    Raises:
        S3StorageError: the bucket could not be checked or created.
    """
    with _s3_errors("HeadBucket"):
        try:
            await client.head_bucket(Bucket=bucket)
            return
        except ClientError as exc:
            if _error_code(exc) not in _MISSING_BUCKET_CODES:
                raise
    kwargs: dict[str, Any] = {"Bucket": bucket}
    region = client.meta.region_name
    if region not in _NO_LOCATION_CONSTRAINT_REGIONS:
        kwargs["CreateBucketConfiguration"] = {"LocationConstraint": region}
    with _s3_errors("CreateBucket"):
        try:
            await client.create_bucket(**kwargs)
        except ClientError as exc:
            # Someone (another test worker, another process) created it in between: fine.
            if _error_code(exc) != "BucketAlreadyOwnedByYou":
                raise
