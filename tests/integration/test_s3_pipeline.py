"""Production shape: PostgreSQL + S3 (moto server over HTTP), built by the same
bootstrap from settings alone; the image link the user gets is a working presigned URL."""

from __future__ import annotations

import uuid
from contextlib import AsyncExitStack

import httpx
import pytest

from bot.bootstrap import bootstrap
from bot.settings import Settings
from core.storage.s3 import S3ObjectStore, ensure_bucket, open_s3_client
from core.types import Actor, ImagineRequest, ReplyTarget
from tests.conftest import unique_user
from tests.support.fakes import RecordingDelivery
from tests.support.moto import start_moto_server


@pytest.fixture(scope="module")
def moto_endpoint():
    endpoint, stop = start_moto_server()
    yield endpoint
    stop()


async def test_job_images_land_in_the_bucket_and_links_work(tmp_path, pg_engine, moto_endpoint):
    bucket = f"seedream-{uuid.uuid4().hex[:12]}"
    credentials = dict(region="us-east-1", access_key_id="test", secret_access_key="test")
    async with AsyncExitStack() as stack:
        admin_client = await open_s3_client(stack, endpoint_url=moto_endpoint, **credentials)
        await ensure_bucket(admin_client, bucket)
    settings = Settings(
        data_dir=tmp_path,
        s3_bucket=bucket,
        s3_endpoint_url=moto_endpoint,
        s3_region="us-east-1",
        s3_access_key_id="test",
        s3_secret_access_key="test",
        link_ttl_s=600,
    )
    async with bootstrap(settings, engine=pg_engine, migrate=False) as app:
        assert isinstance(app.storage, S3ObjectStore) and app.local_store is None
        delivered = RecordingDelivery()
        app.events.register("test", delivered)
        actor = Actor("test", unique_user())
        await app.core.accept_terms(actor, age_confirmed=True)
        job = await app.core.imagine(
            actor, ImagineRequest("a lighthouse", image_count=2), ReplyTarget("test", {})
        )
        await app.worker.run(burst=True)
        event = await delivered.wait_for(job.job_id, "finished")
        assert len(event.images) == 2
        async with httpx.AsyncClient() as http:
            for image in event.images:
                assert image.url.startswith(f"{moto_endpoint}/{bucket}/images/")
                assert "X-Amz-Expires=600" in image.url
                response = await http.get(image.url)
                assert response.status_code == 200
                assert response.content.startswith(b"\x89PNG")
        assert not any(tmp_path.joinpath("media").glob("**/*.png"))  # nothing stored locally
