"""Product analytics, opt-in, end to end: the console adapter, the core and the worker
built by bootstrap, sending over real HTTP to the loopback fake of the capture endpoint
(tests/support/fake_analytics.py, held to PostHog's and Plausible's docs).

* an opted-in user's events arrive, under the random id alone: a scan of every request
  finds neither a prompt nor a platform user id (nor a name);
* no event leaves for a user who did not opt in, while the opted-in user's events of the
  same run arrive (so the check can fail);
* turning it off stops the events and forgets the id; /mydata shows the choice and id;
* /forgetme sends the id's last event and forgets it: no row holds it afterwards;
* an endpoint that is down never breaks a command or a job: the drops are counted;
* the worker's ``job failed`` and a ``purchase`` (Telegram Stars, and a card through
  Stripe's signed webhook) go out for the opted-in only;
* Plausible gets the events with no id at all.
"""

from __future__ import annotations

import asyncio
import io
import json
import logging
import zipfile

import pytest
from pydantic import SecretStr
from sqlalchemy import select

from adapters.console.adapter import ConsoleAdapter
from adapters.web.app import create_web_app
from bot.bootstrap import App, bootstrap
from bot.settings import MissingSetting
from core.db.tables import accounts, consents, identities
from core.errors import ProviderPermanent
from core.types import Actor, ImagineRequest, ReplyTarget
from tests.conftest import unique_user
from tests.support.billing_harness import TARGET as BILLING_TARGET
from tests.support.billing_harness import deliver, new_customer, shop_app, stripe_update
from tests.support.fake_analytics import PLAUSIBLE_DOMAIN, POSTHOG_KEY, FakeAnalytics
from tests.support.fakes import FailingProvider
from tests.support.privacy_scan import rows_linked_to
from tests.support.servers import serve_asgi

TARGET = ReplyTarget("test", {"chat": "1"})


@pytest.fixture
async def fake():
    fake = FakeAnalytics()
    async with serve_asgi(fake.app()) as url:
        fake.url = url  # type: ignore[attr-defined]
        yield fake


def _analytics_settings(settings, fake, kind: str = "posthog"):
    key = POSTHOG_KEY if kind == "posthog" else PLAUSIBLE_DOMAIN
    return settings.model_copy(
        update={
            "analytics_kind": kind,
            "analytics_url": fake.url,
            "analytics_key": SecretStr(key),
            "export_interval_s": 0,
        }
    )


@pytest.fixture
async def app(settings, engine, fake):
    async with bootstrap(_analytics_settings(settings, fake), engine=engine, migrate=False) as a:
        yield a


class Chat:
    """One console user: commands typed, replies read."""

    def __init__(self, app: App, user_id: str) -> None:
        self.app = app
        self.user_id = user_id
        self.out = io.StringIO()
        self.console = ConsoleAdapter(
            app.core,
            app.messages,
            app.events,
            stdin=io.StringIO(),
            stdout=self.out,
            user_id=user_id,
        )

    async def say(self, *lines: str) -> str:
        start = len(self.out.getvalue())
        for line in lines:
            await self.console.handle_line(line)
        return self.out.getvalue()[start:]

    async def imagine(self, prompt: str) -> None:
        await self.say(f"/imagine {prompt}")
        await self.app.worker.run(burst=True)
        await asyncio.wait_for(self.console._all_done.wait(), timeout=30)

    async def analytics_id(self) -> str | None:
        async with self.app.uow() as tx:
            return await tx.conn.scalar(
                select(accounts.c.analytics_id)
                .join(identities, identities.c.account_id == accounts.c.id)
                .where(identities.c.platform == "console")
                .where(identities.c.platform_user_id == self.user_id)
            )


@pytest.fixture
async def consumer(app):
    task = asyncio.create_task(app.events.consume())
    yield
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)


def _counted(app: App, outcome: str) -> float:
    value = app.metrics.registry.get_sample_value(
        "seedream_analytics_events_total", {"outcome": outcome}
    )
    return value or 0.0


async def test_only_the_opted_in_user_is_sent_and_never_a_prompt_or_id(app, fake, consumer):
    alice = Chat(app, unique_user("alice"))
    bob = Chat(app, unique_user("bob"))
    await alice.say("/accept")
    await bob.say("/accept")
    assert "on" in await alice.say("/settings analytics on")
    alice_id = await alice.analytics_id()
    assert alice_id and await bob.analytics_id() is None

    await bob.imagine("bobs secret lighthouse at dusk")
    await bob.say("/credits", "/history")
    await alice.imagine("alices secret violet marmot")
    await alice.say("/credits")
    await bob.imagine("bobs second secret")
    await app.core.analytics.flush()

    assert fake.events, "the opted-in user's events arrive"
    assert {e["distinct_id"] for e in fake.events} == {alice_id}
    finished = [e for e in fake.events if e["event"] == "job finished"]
    assert len(finished) == 1  # Alice's one job; Bob's two sent nothing
    assert finished[0]["properties"] == {"model": "preview", "images": 1}
    commands = [e["properties"]["command"] for e in fake.events if e["event"] == "command used"]
    assert "imagine" in commands and "credits" in commands and "history" not in commands
    assert all(
        e["properties"].get("platform") == "console"
        for e in fake.events
        if e["event"] == "command used"
    )
    assert _counted(app, "not_opted_in") >= 6  # Bob's commands and jobs, skipped
    assert _counted(app, "sent") == len(fake.events)

    body = fake.raw()
    for secret in (
        "secret",
        "violet marmot",
        "lighthouse",
        alice.user_id,
        bob.user_id,
        "console:",
    ):
        assert secret.encode() not in body, secret
    for event in fake.events:
        assert set(event) <= {"event", "distinct_id", "properties", "timestamp", "api_key"}


async def test_turning_it_off_stops_events_and_forgets_the_id(app, fake, consumer):
    alice = Chat(app, unique_user("alice"))
    await alice.say("/accept", "/settings analytics on")
    first_id = await alice.analytics_id()
    await alice.imagine("a quiet pond")
    await alice.say("/settings analytics off")
    await app.core.analytics.flush()
    sent = len(fake.events)
    assert sent >= 2 and await alice.analytics_id() is None
    assert not (await app.core.account(alice.console._actor)).analytics_opt_in

    await alice.imagine("a loud pond")
    await alice.say("/credits", "/models")
    await app.core.analytics.flush()
    assert len(fake.events) == sent  # nothing after the opt-out

    await alice.say("/settings analytics on")
    second_id = await alice.analytics_id()
    assert second_id and second_id != first_id  # a new id, not the forgotten one
    await alice.say("/credits")
    await app.core.analytics.flush()
    assert fake.events[-1]["distinct_id"] == second_id


async def test_the_export_shows_the_choice_and_forgetme_forgets_the_id(app, fake, engine, consumer):
    alice = Chat(app, unique_user("alice"))
    await alice.say("/accept")
    account = await app.core.account(alice.console._actor)
    assert await _export(
        app, account.account_id, await app.privacy.export(alice.console._actor)
    ) == {
        "analytics_opt_in": False,
        "analytics_id": None,
    }
    await alice.say("/settings analytics on")
    analytics_id = await alice.analytics_id()
    assert await _export(
        app, account.account_id, await app.privacy.export(alice.console._actor)
    ) == {
        "analytics_opt_in": True,
        "analytics_id": analytics_id,
    }
    exported = await _consents(app, account.account_id)
    assert ("analytics", True) in exported

    await alice.imagine("a fox in snow")
    reply = await alice.say("/forgetme")
    code = reply.split("/forgetme ")[-1].split()[0]
    assert "Erased at" in await alice.say(f"/forgetme {code}")
    await app.core.analytics.flush()
    assert fake.events[-1]["event"] == "erasure"
    assert fake.events[-1]["distinct_id"] == analytics_id
    assert await rows_linked_to(engine, account.account_id, [analytics_id]) == []

    # A returning user is a new account that did not opt in: nothing more is sent.
    sent = len(fake.events)
    await alice.say("/accept", "/credits")
    await alice.imagine("back again")
    await app.core.analytics.flush()
    assert len(fake.events) == sent and await alice.analytics_id() is None


async def test_a_down_endpoint_never_breaks_a_command_or_a_job(app, fake, consumer, caplog):
    app.core.analytics.settings.failure_pause_s = 0.01
    alice = Chat(app, unique_user("alice"))
    await alice.say("/accept", "/settings analytics on")
    fake.outage = 503
    with caplog.at_level(logging.WARNING, logger="seedream.analytics"):
        await alice.imagine("a storm over the sea")
        replies = await alice.say("/credits")
        await app.core.analytics.flush()
    assert "Done" in alice.out.getvalue() and "Balance" in replies
    assert not alice.console.troubled
    assert fake.events == [] and _counted(app, "send_failed") >= 2
    logged = caplog.text
    assert "status=503" in logged
    assert POSTHOG_KEY not in logged and fake.url not in logged

    fake.outage = None  # back: the next events go out (nothing was retried)
    await alice.say("/models")
    await app.core.analytics.flush()
    assert [e["properties"]["command"] for e in fake.events] == ["models"]


async def test_plausible_gets_the_events_without_any_id(settings, sqlite_engine, fake):
    plausible = _analytics_settings(settings, fake, kind="plausible")
    async with bootstrap(plausible, engine=sqlite_engine, migrate=False) as app:
        alice = Chat(app, unique_user("alice"))
        bob = Chat(app, unique_user("bob"))
        await alice.say("/accept", "/settings analytics on")
        await bob.say("/accept", "/credits")
        await alice.say("/credits")
        await app.core.analytics.flush()
        analytics_id = await alice.analytics_id()
    assert fake.plausible, "the opted-in user's events arrive"
    assert all(p["domain"] == PLAUSIBLE_DOMAIN for p in fake.plausible)
    credits_events = [p for p in fake.plausible if p["props"].get("command") == "credits"]
    assert len(credits_events) == 1  # Alice's, not Bob's
    assert analytics_id is not None and analytics_id.encode() not in fake.raw()
    assert alice.user_id.encode() not in fake.raw()


async def _export(app: App, account_id: int, result) -> dict:
    """The analytics entries of the export's account.json preferences."""
    archive = await app.storage.get(f"exports/{account_id}/{result.export_id}.zip")
    account = json.loads(zipfile.ZipFile(io.BytesIO(archive)).read("account.json"))
    return {k: v for k, v in account["preferences"].items() if k.startswith("analytics")}


async def _consents(app: App, account_id: int) -> list[tuple[str, bool]]:
    async with app.uow() as tx:
        rows = await tx.conn.execute(
            select(consents.c.kind, consents.c.granted).where(consents.c.account_id == account_id)
        )
        return [(r.kind, bool(r.granted)) for r in rows]


async def test_a_failed_job_and_a_purchase_are_sent_for_the_opted_in_only(app, fake, consumer):
    """The worker's ``job failed`` (model, images, error code) and a Telegram Stars
    purchase (method, kind, pack): Alice's arrive, Bob's identical ones do not."""
    app.providers["local"] = FailingProvider(ProviderPermanent(reason="boom"))
    alice = Actor("telegram", unique_user("alice"), "Alice Example", "en")
    bob = Actor("telegram", unique_user("bob"), "Bob Example", "en")
    for actor in (alice, bob):
        await app.core.accept_terms(actor, age_confirmed=True)
    await app.privacy.set_analytics_opt_in(alice, True)
    for n, actor in enumerate((bob, alice, bob)):
        await app.core.imagine(actor, ImagineRequest("a doomed prompt", image_count=2), TARGET)
        await app.worker.run(burst=True)
        invoice = await app.core.billing.stars_invoice(actor, "small")
        await app.core.billing.stars_paid(actor, invoice.payload, "XTR", 250, f"charge-{n}")
    await app.core.analytics.flush()

    alice_id = (await _ids(app, alice))[0]
    assert [(e["event"], e["distinct_id"], e["properties"]) for e in fake.events] == [
        ("job failed", alice_id, {"model": "preview", "images": 2, "error": "permanent"}),
        ("purchase", alice_id, {"method": "stars", "kind": "pack", "item": "small"}),
    ]
    assert b"doomed" not in fake.raw() and alice.platform_user_id.encode() not in fake.raw()


async def _ids(app: App, actor: Actor) -> list[str | None]:
    async with app.uow() as tx:
        rows = await tx.conn.execute(
            select(accounts.c.analytics_id)
            .join(identities, identities.c.account_id == accounts.c.id)
            .where(identities.c.platform_user_id == actor.platform_user_id)
        )
        return list(rows.scalars())


async def test_a_card_purchase_is_sent_for_the_opted_in_only(
    settings, sqlite_engine, fake, stripe_fake, billing_catalog, http
):
    """Stripe's signed webhook credits the pack; its ``purchase`` event goes out for
    Alice, who opted in, and not for Bob, who paid the same way."""
    shop = _analytics_settings(settings, fake).model_copy(update=stripe_update(stripe_fake))
    async with (
        shop_app(shop, sqlite_engine, billing_catalog) as app,
        serve_asgi(create_web_app(app)) as web_url,
    ):
        alice, bob = await new_customer(app), await new_customer(app)
        await app.privacy.set_analytics_opt_in(alice, True)
        for actor in (bob, alice, bob):
            link = await app.core.billing.buy_pack(actor, "small", BILLING_TARGET)
            paid = await deliver(http, web_url, stripe_fake, stripe_fake.pay(link.session_id))
            assert paid.json()["outcome"] == "credited"
        await app.core.analytics.flush()
        (alice_id,) = await _ids(app, alice)
    assert [(e["event"], e["distinct_id"], e["properties"]) for e in fake.events] == [
        ("purchase", alice_id, {"method": "card", "kind": "pack"})
    ]


async def test_a_kind_without_its_address_or_key_stops_the_start_up(settings, sqlite_engine):
    for missing in ({"analytics_url": None}, {"analytics_key": None}):
        broken = settings.model_copy(
            update={
                "analytics_kind": "posthog",
                "analytics_url": "http://127.0.0.1:9",
                "analytics_key": SecretStr(POSTHOG_KEY),
                **missing,
            }
        )
        with pytest.raises(MissingSetting, match="SEEDREAM_ANALYTICS_URL"):
            async with bootstrap(broken, engine=sqlite_engine, migrate=False):
                pass
    async with bootstrap(settings, engine=sqlite_engine, migrate=False) as app:
        assert not app.core.analytics.enabled  # off by default
