"""The whole job path through the real provider modules, each behind its loopback fake:
settings → registry → worker routes → ledger → events. Failover on a transient error,
no retry and no failover on a refusal (for every provider), and which models are listed
for the configured keys. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, replace
from typing import Any

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy import select

from bot.bootstrap import App, bootstrap
from bot.settings import Settings
from core.catalog import Catalog, load_catalog
from core.db.tables import jobs, ledger_entries
from core.errors import ModelUnavailable, ProviderRefused
from core.providers import Provider
from core.providers.fal import FalProvider
from core.providers.registry import build_providers
from core.providers.replicate import ReplicateProvider
from core.types import Actor, ImagineRequest, ReplyTarget
from tests.conftest import unique_user
from tests.support import fake_ark, fake_fireworks, fake_gemini
from tests.support.fake_fal import FakeFal
from tests.support.fake_openai import FakeOpenAI
from tests.support.fake_openrouter import FakeOpenRouter
from tests.support.fake_replicate import FakeReplicate
from tests.support.fakes import RecordingDelivery
from tests.support.servers import serve_asgi

TARGET = ReplyTarget("test", {})
COST = 3  # per image; different from the shipped models' costs on purpose

# The conventional variable names are read without the SEEDREAM_ prefix, so the shared
# fixture's clean-up does not remove them; a developer's real key must not leak in here.
PROVIDER_ENV = (
    "OPENAI_API_KEY",
    "REPLICATE_API_TOKEN",
    "FAL_KEY",
    "FIREWORKS_API_KEY",
    "GEMINI_API_KEY",
    "OPENROUTER_API_KEY",
    "ARK_API_KEY",
    "DEEPSEEK_API_KEY",
)


@pytest.fixture(autouse=True)
def _no_provider_keys_from_env(monkeypatch):
    for name in PROVIDER_ENV:
        monkeypatch.delenv(name, raising=False)


# -- the fakes -------------------------------------------------------------------------


@dataclass
class Fake:
    """One provider's loopback fake, and how the deployment is configured to reach it."""

    name: str  # as in catalogue routes
    app: Any  # the Starlette app
    model: str  # the provider's model id in the route
    settings_for: Callable[[str], dict[str, Any]]  # server URL → Settings fields
    generation_requests: Callable[[], list]  # generation calls only (no polls/downloads)

    @property
    def route(self) -> str:
        return f"{self.name}:{self.model}"


def _make_fake(name: str) -> Fake:
    if name == "openai":
        openai = FakeOpenAI(api_key="sk-test-openai")
        return Fake(
            name,
            openai,
            "gpt-image-2",
            lambda url: {"openai_api_key": "sk-test-openai", "openai_base_url": f"{url}/v1"},
            lambda: [r for r in openai.requests if r.path == "/v1/images/generations"],
        )
    if name == "openrouter":
        openrouter = FakeOpenRouter(api_key="sk-or-v1-test")
        return Fake(
            name,
            openrouter,
            "google/gemini-3.1-flash-image",
            lambda url: {
                "openrouter_api_key": "sk-or-v1-test",
                "openrouter_base_url": f"{url}/api/v1",
            },
            lambda: list(openrouter.requests),
        )
    if name == "replicate":
        replicate = FakeReplicate(token="r8_test_token")
        return Fake(
            name,
            replicate,
            "black-forest-labs/flux-schnell",
            lambda url: {
                "replicate_api_token": "r8_test_token",
                "replicate_base_url": f"{url}/v1",
            },
            lambda: [
                r
                for r in replicate.requests
                if r.method == "POST" and r.path.endswith("/predictions")
            ],
        )
    if name == "fal":
        fal = FakeFal(key="fal_test_key")
        return Fake(
            name,
            fal,
            "fal-ai/flux/schnell",
            lambda url: {"fal_key": "fal_test_key", "fal_queue_url": url, "fal_sync_url": url},
            lambda: fal.calls("POST"),
        )
    if name == "fireworks":
        fireworks = fake_fireworks.make_app()
        return Fake(
            name,
            fireworks,
            "flux-1-schnell-fp8",
            lambda url: {
                "fireworks_api_key": fake_fireworks.API_KEY,
                "fireworks_base_url": f"{url}/inference/v1",
            },
            lambda: list(fireworks.state.requests),
        )
    if name == "google":
        gemini = fake_gemini.make_app()
        return Fake(
            name,
            gemini,
            "gemini-3.1-flash-image",
            lambda url: {
                "gemini_api_key": fake_gemini.API_KEY,
                "gemini_base_url": f"{url}/v1beta",
            },
            lambda: list(gemini.state.requests),
        )
    if name == "ark":
        ark = fake_ark.make_app()
        return Fake(
            name,
            ark,
            "seedream-4-5-251128",
            lambda url: {"ark_api_key": fake_ark.API_KEY, "ark_base_url": f"{url}/api/v3"},
            lambda: list(ark.state.requests),
        )
    raise ValueError(name)


_SECRET_FIELDS = {
    "openai_api_key",
    "replicate_api_token",
    "fal_key",
    "fireworks_api_key",
    "gemini_api_key",
    "openrouter_api_key",
    "ark_api_key",
}


def _configured(settings: Settings, **fields: Any) -> Settings:
    """``settings`` with provider keys and URLs set (keys as the SecretStr they parse to)."""
    return settings.model_copy(
        update={k: SecretStr(v) if k in _SECRET_FIELDS else v for k, v in fields.items()}
    )


class _VirtualTime:
    """A clock that moves only when a polling provider sleeps: polls go back to back."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def _providers_with_fast_polling(
    http: httpx.AsyncClient, settings: Settings, time: _VirtualTime
) -> dict[str, Provider]:
    """What the bootstrap builds from ``settings``, except that fal and replicate (which
    take their sleep and clock only through the constructor) poll on virtual time."""
    configs = settings.provider_configs()
    providers = build_providers(http, configs)
    if "replicate" in configs:
        config = configs["replicate"]
        providers["replicate"] = ReplicateProvider(
            http,
            api_key=config.api_key,
            base_url=config.base_url,
            sleep=time.sleep,
            clock=time.clock,
        )
    if "fal" in configs:
        config = configs["fal"]
        providers["fal"] = FalProvider(
            http,
            api_key=config.api_key,
            base_url=config.base_url,
            sleep=time.sleep,
            clock=time.clock,
            **config.options,
        )
    return providers


@asynccontextmanager
async def _stand(
    settings: Settings, engine, *, routes: list[Fake], base_model: str = "preview"
) -> AsyncIterator[tuple[App, RecordingDelivery]]:
    """Serve the fakes, configure their keys, and boot the app with one model ("pipeline",
    otherwise like the shipped ``base_model``) routed to them in order."""
    async with AsyncExitStack() as stack:
        fields: dict[str, Any] = {}
        for fake in routes:
            url = await stack.enter_async_context(serve_asgi(fake.app))
            fields.update(fake.settings_for(url))
        configured = _configured(settings, **fields)
        providers = None
        if {"fal", "replicate"} & {fake.name for fake in routes}:
            http = await stack.enter_async_context(httpx.AsyncClient(timeout=30.0))
            providers = _providers_with_fast_polling(http, configured, _VirtualTime())
        app = await stack.enter_async_context(
            bootstrap(
                configured,
                engine=engine,
                migrate=False,
                providers=providers,
                catalog=_catalog_with(tuple(fake.route for fake in routes), base_model),
            )
        )
        assert set(app.providers) == {"local", *(fake.name for fake in routes)}
        delivered = RecordingDelivery()
        app.events.register("test", delivered)
        yield app, delivered


def _catalog_with(routes: tuple[str, ...], base_model: str = "preview") -> Catalog:
    catalog = load_catalog()
    model = replace(
        catalog.models[base_model],
        id="pipeline",
        label="Pipeline test model",
        routes=routes,
        cost_credits=COST,
    )
    return replace(catalog, models={**catalog.models, "pipeline": model})


async def _user(app: App) -> Actor:
    actor = Actor("test", unique_user(), locale="en")
    await app.core.accept_terms(actor, age_confirmed=True)  # the welcome grant
    return actor


async def _balance(app: App, actor: Actor) -> int:
    return (await app.core.account(actor)).balance_credits


async def _ledger_for(app: App, job_id: str) -> list[tuple[str, int]]:
    async with app.uow() as uow:
        rows = await uow.conn.execute(
            select(ledger_entries.c.reason, ledger_entries.c.amount_credits)
            .where(ledger_entries.c.reference == job_id)
            .order_by(ledger_entries.c.id)
        )
        return [(r.reason, r.amount_credits) for r in rows]


async def _job_row(app: App, job_id: str):
    async with app.uow() as uow:
        return (await uow.conn.execute(select(jobs).where(jobs.c.id == job_id))).one()


# -- 1. failover -----------------------------------------------------------------------


async def test_transient_error_fails_over_to_the_next_route_within_the_job(settings, engine):
    google, ark = _make_fake("google"), _make_fake("ark")
    async with _stand(settings, engine, routes=[google, ark]) as (app, delivered):
        actor = await _user(app)
        before = await _balance(app, actor)
        job = await app.core.imagine(
            actor, ImagineRequest("[503] a lighthouse at dusk", model_id="pipeline"), TARGET
        )
        assert job.cost_credits == COST

        await app.worker.run(burst=True)

        # The in-process bus delivers while the worker runs: no waiting needed.
        assert delivered.kinds(job.job_id) == ["queued", "started", "finished"]
        finished = await delivered.wait_for(job.job_id, "finished")
        assert len(finished.images) == 1
        row = await _job_row(app, job.job_id)
        assert (row.status, row.error_code) == ("succeeded", None)
        assert row.provider_route == ark.route
        assert row.attempts == 1  # one attempt: the failover happened inside it
        assert await _ledger_for(app, job.job_id) == [("spend", -COST)]
        assert await _balance(app, actor) == before - COST
        # Route A was really tried (and answered 503), route B served the job.
        assert len(google.generation_requests()) == 1
        assert len(ark.generation_requests()) == 1
        assert ark.app.state.requests[0].body["prompt"] == "[503] a lighthouse at dusk"
        assert (await app.core.job(actor, job.job_id)).status == "succeeded"


# -- 2. a refusal is final, for every provider -----------------------------------------

# (provider under test, its refusal marker, the healthy second route). Every fake refuses
# on "[refuse]", so where a provider has a moderation marker of its own it is used and the
# second route's fake would have answered the same prompt with an image: a failover would
# then show up as a succeeded job, not only as a request count. Fireworks' fake has no
# other refusal marker, so there the second fake would refuse too if it were ever asked
# (the request count still proves it never was).
REFUSALS = [
    ("openai", "[refuse-dalle]", "google"),  # 400 content_policy_violation
    ("openrouter", "[body-refuse]", "google"),  # 200 carrying a 403 moderation error
    ("replicate", "[partial]", "google"),  # the safety checker withheld the output
    ("fal", "[nsfw]", "google"),  # has_nsfw_concepts flags every image
    ("fireworks", "[refuse]", "google"),  # finish reason CONTENT_FILTERED
    ("google", "[blocked]", "ark"),  # promptFeedback.blockReason SAFETY
    ("ark", "[refuse-input]", "google"),  # 400 InputTextSensitiveContentDetected
]


@pytest.mark.parametrize(("provider", "marker", "second"), REFUSALS, ids=[r[0] for r in REFUSALS])
async def test_a_refusal_fails_the_job_at_once_with_a_refund(
    settings, engine, provider, marker, second
):
    primary, backup = _make_fake(provider), _make_fake(second)
    async with _stand(settings, engine, routes=[primary, backup]) as (app, delivered):
        actor = await _user(app)
        before = await _balance(app, actor)
        job = await app.core.imagine(
            actor, ImagineRequest(f"{marker} a red fox", model_id="pipeline"), TARGET
        )
        assert await _balance(app, actor) == before - COST

        await app.worker.run(burst=True)

        assert delivered.kinds(job.job_id) == ["queued", "started", "failed"]
        failed = await delivered.wait_for(job.job_id, "failed")
        assert failed.error_key == ProviderRefused.key == "error.provider_refused"
        assert failed.refunded_credits == COST
        row = await _job_row(app, job.job_id)
        assert (row.status, row.error_code) == ("failed", "refused")
        assert row.provider_route == primary.route  # the job says which service refused
        assert row.attempts == 1 and row.not_before is None
        assert await _ledger_for(app, job.job_id) == [("spend", -COST), ("refund", COST)]
        assert await _balance(app, actor) == before
        # Not retried, not failed over.
        assert len(primary.generation_requests()) == 1
        assert backup.generation_requests() == []
        assert await app.worker.run_once() is None  # nothing left to claim


# -- 3. which models are offered ------------------------------------------------------


async def test_models_follow_the_configured_keys(settings, engine):
    catalog = load_catalog()
    preview = catalog.models["preview"]
    on_ark = replace(preview, id="on-ark", routes=("ark:seedream-4-5-251128",))
    on_openai = replace(preview, id="on-openai", routes=("openai:gpt-image-2",))
    catalog = replace(catalog, models={**catalog.models, "on-ark": on_ark, "on-openai": on_openai})
    configured = _configured(
        settings, ark_api_key=fake_ark.API_KEY, ark_base_url="http://127.0.0.1:9/api/v3"
    )
    async with bootstrap(configured, engine=engine, migrate=False, catalog=catalog) as app:
        assert set(app.providers) == {"local", "ark"}
        # Shipped: "seedream" has an ark route; gpt-image, flux-schnell and gemini-image
        # have none. Nothing is contacted to decide this.
        assert [m.id for m in app.core.models()] == ["seedream", "preview", "on-ark"]
        actor = await _user(app)
        before = await _balance(app, actor)
        # A catalogue model no configured service serves is "not available on this bot"
        # (issue 17, rough edge 5), listing the same models /models shows.
        with pytest.raises(ModelUnavailable) as refused:
            await app.core.imagine(actor, ImagineRequest("a cat", model_id="on-openai"), TARGET)
        assert refused.value.params["available"] == "seedream, preview, on-ark"
        assert await _balance(app, actor) == before


async def test_without_any_key_only_the_offline_models_remain(settings):
    # The default embedded mode: no engine given, so the SQLite file in data_dir,
    # migrated at start.
    assert settings.provider_configs() == {}
    async with bootstrap(settings) as app:
        assert app.engine.dialect.name == "sqlite"
        assert set(app.providers) == {"local"}
        offered = app.core.models()
        assert offered and all(m.providers == ("local",) for m in offered)
        assert [m.id for m in offered] == ["preview"]
