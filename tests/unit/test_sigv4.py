"""core.sigv4 signs exactly as botocore does (same timestamp, same inputs)."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import botocore.session
import pytest
from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

from core.storage.sigv4 import S3Signer

KEY_ID, SECRET = "AKIDEXAMPLE", "wJalr/XUtnFEMI+K7MDENG"


def botocore_client(endpoint: str, region: str):
    return botocore.session.get_session().create_client(
        "s3",
        endpoint_url=endpoint,
        region_name=region,
        aws_access_key_id=KEY_ID,
        aws_secret_access_key=SECRET,
        config=Config(signature_version="s3v4", s3={"addressing_style": "path"}),
    )


def stamp_of(amz_date: str) -> datetime:
    return datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)


@pytest.mark.parametrize(
    ("endpoint", "region", "key"),
    [
        ("http://127.0.0.1:45123", "us-east-1", "images/1/ab_c/0.png"),
        ("https://acct.r2.cloudflarestorage.com", "auto", "media/images/7/x-y.z/3.webp"),
        ("https://s3.eu-west-1.amazonaws.com", "eu-west-1", "a b/c+d~e.png"),
    ],
)
def test_presigned_get_is_botocores(endpoint: str, region: str, key: str) -> None:
    theirs = botocore_client(endpoint, region).generate_presigned_url(
        "get_object", Params={"Bucket": "bkt", "Key": key}, ExpiresIn=604800
    )
    when = stamp_of(parse_qs(urlsplit(theirs).query)["X-Amz-Date"][0])

    ours = S3Signer(endpoint, region, KEY_ID, SECRET).presign_get(
        "bkt", key, expires_s=604800, now=when
    )

    assert ours == theirs


def test_put_authorization_is_botocores() -> None:
    data = b"\x89PNG not really"
    signer = S3Signer("http://127.0.0.1:9000", "us-east-1", KEY_ID, SECRET)
    url = "http://127.0.0.1:9000/bkt/images/1/j/0.png"
    request = AWSRequest(method="PUT", url=url, data=data, headers={"Content-Type": "image/png"})
    S3SigV4Auth(Credentials(KEY_ID, SECRET), "s3", "us-east-1").add_auth(request)
    when = stamp_of(request.headers["X-Amz-Date"])

    ours_url, headers = signer.put_object("bkt", "images/1/j/0.png", data, "image/png", now=when)

    assert ours_url == url
    assert headers["x-amz-date"] == request.headers["X-Amz-Date"]
    assert headers["x-amz-content-sha256"] == request.headers["X-Amz-Content-SHA256"]
    assert headers["authorization"] == request.headers["Authorization"]
    assert "host" not in headers
