"""Every route that takes a body refuses one over its limit before any other work: on
``Content-Length`` (413, nothing read, the handler never runs), and a chunked body
without a length is cut off at the limit (the bytes read are counted at the ASGI
``receive``). A Stripe signature dated outside the tolerance, in either direction, is
refused and changes nothing."""

from __future__ import annotations

import time
from types import SimpleNamespace

from sqlalchemy import func, select

from adapters.telegram.webhook import MAX_BODY_BYTES as TELEGRAM_LIMIT
from adapters.telegram.webhook import SECRET_HEADER, webhook_route
from adapters.web.app import create_web_app
from adapters.web.billing import MAX_WEBHOOK_BYTES as STRIPE_LIMIT
from core.db.tables import webhook_events
from tests.support.billing_harness import TARGET, balance_and_sum, deliver, new_customer
from tests.support.servers import http_scope

CHUNK = 64 * 1024


class Counted:
    """An ASGI client: sends ``total`` bytes in chunks (lazily), counts what was read."""

    def __init__(self, total: int) -> None:
        self.total, self.read, self.status = total, 0, None

    async def call(self, app, path: str, headers: dict[str, str]) -> int:
        left = self.total

        async def receive():
            nonlocal left
            size = min(CHUNK, left)
            left -= size
            self.read += size
            return {"type": "http.request", "body": b"x" * size, "more_body": left > 0}

        async def send(message):
            if message["type"] == "http.response.start":
                self.status = message["status"]

        scope = http_scope("POST", path, headers)
        await app(scope, receive, send)
        return self.status


def _stripe_app(billing_app, monkeypatch) -> tuple[object, list]:
    calls: list = []

    async def handled(payload, signature):
        calls.append(len(payload))
        return "ignored"

    monkeypatch.setattr(billing_app.core.billing, "handle_webhook", handled)
    return create_web_app(billing_app), calls


async def test_a_stripe_webhook_over_the_limit_is_refused_before_reading(billing_app, monkeypatch):
    web, calls = _stripe_app(billing_app, monkeypatch)
    declared = Counted(STRIPE_LIMIT + 1)
    headers = {"content-length": str(STRIPE_LIMIT + 1), "stripe-signature": "t=1,v1=00"}
    assert await declared.call(web, "/stripe/webhook", headers) == 413
    assert declared.read == 0 and calls == []

    chunked = Counted(8 * STRIPE_LIMIT)
    headers = {"transfer-encoding": "chunked", "stripe-signature": "t=1,v1=00"}
    assert await chunked.call(web, "/stripe/webhook", headers) == 413
    assert chunked.read <= STRIPE_LIMIT + CHUNK and calls == []

    # At the limit, the body reaches the handler whole.
    exact = Counted(STRIPE_LIMIT)
    headers = {"content-length": str(STRIPE_LIMIT)}
    assert await exact.call(web, "/stripe/webhook", headers) == 200
    assert calls == [STRIPE_LIMIT]


async def test_a_telegram_webhook_over_the_limit_is_refused_before_reading():
    updates: list = []

    async def process(payload):
        updates.append(payload)

    adapter = SimpleNamespace(
        config=SimpleNamespace(webhook_secret="s3cret"), process_webhook_update=process
    )
    route = webhook_route(adapter)
    app = SimpleNamespace(engine=None, queue=None, core=None, local_store=None)
    web = create_web_app(app, [route])
    declared = Counted(TELEGRAM_LIMIT + 1)
    headers = {"content-length": str(TELEGRAM_LIMIT + 1), SECRET_HEADER: "s3cret"}
    assert await declared.call(web, route.path, headers) == 413
    assert declared.read == 0

    chunked = Counted(8 * TELEGRAM_LIMIT)
    headers = {"transfer-encoding": "chunked", SECRET_HEADER: "s3cret"}
    assert await chunked.call(web, route.path, headers) == 413
    assert chunked.read <= TELEGRAM_LIMIT + CHUNK and updates == []


async def test_a_signature_dated_in_the_future_is_refused_and_changes_nothing(
    billing_app, stripe_fake, web_url, http
):
    actor = await new_customer(billing_app)
    link = await billing_app.core.billing.buy_pack(actor, "small", TARGET)
    event = stripe_fake.pay(link.session_id)
    future = await deliver(http, web_url, stripe_fake, event, timestamp=int(time.time()) + 400)
    assert future.status_code == 400
    assert await balance_and_sum(billing_app, actor) == (0, 0, 0)
    async with billing_app.uow() as uow:
        assert await uow.conn.scalar(select(func.count()).select_from(webhook_events)) == 0
    # A clock a little ahead, within the tolerance, is accepted.
    ahead = await deliver(http, web_url, stripe_fake, event, timestamp=int(time.time()) + 60)
    assert ahead.status_code == 200
    assert (await balance_and_sum(billing_app, actor))[0] == 100
