"""The presenters every chat adapter shares (adapters.common) and the core query behind
/settings (core.jobs.requests.effective_defaults): pure, no I/O beyond reading the
shipped catalogue and message files."""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from adapters.common import flows, grammar
from adapters.common.catalogue import chat_messages
from adapters.common.context import ChatContext
from adapters.common.errors import generic_error_text, new_correlation_id
from adapters.common.jobs import (
    cancelled_event_text,
    cancelled_job_text,
    failed_text,
    finished_text,
    notice_text,
    queued_text,
    started_text,
)
from adapters.common.privacy import (
    challenge_minutes,
    forget_challenge_text,
    image_deleted_text,
)
from adapters.common.settings import on_off, settings_text
from adapters.common.wording import (
    accepted_text,
    history_lines,
    redeemed_text,
    unknown_command_text,
)
from adapters.console.adapter import LOCALES_DIR as CONSOLE_LOCALES
from adapters.console.adapter import ConsoleAdapter
from adapters.discord.context import InteractionContext
from adapters.telegram.context import Ctx
from core.billing.types import Redemption
from core.catalog import load_catalog
from core.errors import UnknownModel
from core.jobs.requests import effective_defaults, resolve_request
from core.jobs.scheduling import QUEUE_POSITION_CAP
from core.privacy.erase import ErasureChallenge
from core.text.catalogue import Messages
from core.types import (
    Acceptance,
    AcceptedJob,
    EffectiveSettings,
    ImageView,
    ImagineRequest,
    JobEvent,
)

JOB_ID = "0123456789abcdef"
CATALOG = load_catalog()


def echo(key: str, **params: object) -> str:
    """A translator that shows what was asked: the key and its parameters."""
    return key + "".join(f" {k}={v}" for k, v in sorted(params.items()))


CONSOLE_MESSAGES = chat_messages(Messages(), CONSOLE_LOCALES)


def english(key: str, **params: object) -> str:
    """The console's English texts (the core's, the shared chat texts, the console's)."""
    return CONSOLE_MESSAGES.render(key, "en", **params)


def accepted(**overrides: object) -> AcceptedJob:
    values: dict = dict(
        job_id=JOB_ID,
        status="queued",
        model_id="preview",
        prompt="a fox",
        aspect_ratio="1:1",
        seed=None,
        image_count=2,
        cost_credits=4,
        created_at=datetime(2026, 1, 2, 3, 4, tzinfo=UTC),
        finished_at=None,
        error_code=None,
        queue_position=3,
        balance_credits=6,
    )
    values.update(overrides)
    return AcceptedJob(**values)


def event(kind: str, **fields: object) -> JobEvent:
    return JobEvent(kind, JOB_ID, 1, None, "en", **fields)  # type: ignore[arg-type]


# -- job texts -----------------------------------------------------------------------


def test_queued_text_names_the_short_id_cost_balance_and_position():
    assert queued_text(echo, accepted()) == (
        "job.queued balance_credits=6 cost_credits=4 count=2 job_id=01234567"
        " job.queue_position position=3"
    )
    assert queued_text(echo, accepted(), key="telegram.queued").startswith("telegram.queued ")


def test_queued_text_never_shows_a_missing_position():
    assert "position=1" in queued_text(echo, accepted(queue_position=None))


def test_queued_text_past_the_counted_positions_says_more_than_the_cap_are_ahead():
    """The core counts the jobs ahead up to QUEUE_POSITION_CAP: its last position means
    "more than that"; the one before it is still exact."""
    last_exact = accepted(queue_position=QUEUE_POSITION_CAP)
    assert queued_text(english, last_exact).endswith(f"Position in queue: {QUEUE_POSITION_CAP}.")
    far = queued_text(english, accepted(queue_position=QUEUE_POSITION_CAP + 1))
    assert far.endswith(f"More than {QUEUE_POSITION_CAP} jobs are ahead of it in the queue.")
    assert "Position in queue" not in far


def test_progress_texts():
    assert started_text(echo, event("started")) == "job.started job_id=01234567"
    assert finished_text(echo, event("finished")) == "job.finished job_id=01234567"
    assert finished_text(echo, event("finished", enhance_skipped=True)) == (
        "job.finished job_id=01234567\njob.enhance_skipped"
    )
    done = finished_text(echo, event("finished", enhance_skipped=True), key="telegram.done")
    assert done == "telegram.done job_id=01234567\njob.enhance_skipped"


def test_failed_text_renders_the_core_error_key_as_the_reason():
    failed = event(
        "failed", error_key="error.provider_busy", error_params={"x": 1}, refunded_credits=4
    )
    assert failed_text(echo, failed) == (
        "job.failed job_id=01234567 reason=error.provider_busy x=1 refunded_credits=4"
    )
    assert "reason=error.provider " in failed_text(echo, event("failed"))


def test_cancelled_texts_by_command_and_by_event_agree():
    by_command = cancelled_job_text(english, accepted())
    by_event = cancelled_event_text(english, event("cancelled", refunded_credits=4))
    assert by_command == by_event == "Cancelled 01234567. Refunded 4 credits."


def test_notice_text():
    assert notice_text(echo, event("notice")) is None
    notice = event("notice", notice_key="billing.purchase_landed", notice_params={"n": 2})
    assert notice_text(echo, notice) == "billing.purchase_landed n=2"


# -- /settings -----------------------------------------------------------------------

EFFECTIVE = EffectiveSettings("preview", "16:9", ("1:1", "16:9"), "de")


def test_settings_text_fills_the_effective_values_and_words_switches():
    text = settings_text(echo, "discord.settings_current", EFFECTIVE, private=True, training=False)
    assert text == (
        "discord.settings_current aspect=16:9 language=de model=preview "
        "private=settings.on training=settings.off"
    )
    assert on_off(english, True) == "on" and on_off(english, False) == "off"


def test_settings_text_in_english():
    text = settings_text(
        english,
        "settings.current",
        EFFECTIVE,
        as_file=True,
        private=False,
        training=False,
        analytics=True,
    )
    assert text.startswith(
        "Your defaults: model preview, aspect ratio 16:9, language de; images as files: on, "
        "private replies: off, training use of your prompts: off, product analytics: on."
    )


def defaults(model: str | None, aspect: str | None, **kw) -> tuple[str, str]:
    model_spec, chosen_aspect = effective_defaults(
        CATALOG, default_model=model, default_aspect=aspect, fallback_model="preview", **kw
    )
    return model_spec.id, chosen_aspect


def test_effective_defaults_keep_a_preference_the_catalogue_offers():
    assert defaults("gpt-image", "3:2") == ("gpt-image", "3:2")


def test_effective_defaults_one_fallback_rule_for_stale_preferences():
    assert defaults(None, None) == ("preview", "1:1")
    assert defaults("retired-model", "16:9") == ("preview", "16:9")
    assert defaults("gpt-image", "21:9") == ("gpt-image", "1:1")  # not offered by the model
    unservable = defaults("gpt-image", "3:2", servable=lambda m: m.id != "gpt-image")
    assert unservable == ("preview", "3:2")


def test_effective_defaults_without_a_fallback_model_in_the_catalogue():
    with pytest.raises(UnknownModel):
        effective_defaults(CATALOG, default_model=None, default_aspect=None, fallback_model="x")


@pytest.mark.parametrize(
    ("model", "aspect"),
    [(None, None), ("gpt-image", "3:2"), ("gpt-image", "16:9"), ("gone", "21:9")],
)
def test_effective_defaults_are_what_a_bare_imagine_gets(model, aspect):
    resolved = resolve_request(
        ImagineRequest(prompt="a fox"),
        CATALOG,
        default_model=model if CATALOG.model(model or "") else None,
        default_aspect=aspect,
        fallback_model="preview",
    )
    assert defaults(model, aspect) == (resolved.model.id, resolved.aspect_ratio)


# -- /forgetme -----------------------------------------------------------------------


@pytest.mark.parametrize(("seconds", "minutes"), [(0, 1), (59, 1), (60, 1), (600, 10)])
def test_challenge_minutes_are_whole_and_at_least_one(seconds, minutes):
    assert challenge_minutes(ErasureChallenge("abc", seconds)) == minutes


def test_forget_challenge_text_in_each_platforms_wording():
    challenge = ErasureChallenge("ZX81", 900)
    assert forget_challenge_text(echo, "discord.forget_confirm", challenge) == (
        "discord.forget_confirm code=ZX81 minutes=15"
    )
    assert "/forgetme ZX81 (valid for 15 minutes)" in forget_challenge_text(
        english, "privacy.forget_confirm", challenge
    )


# -- grammar -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "is_training", "choice"),
    [
        ("training on", True, True),
        ("  Training   OFF ", True, False),
        ("training", True, None),
        ("training maybe", True, None),
        ("training on off", True, None),
        ("--model preview", False, None),
        ("", False, None),
        ("trainingon", False, None),
    ],
)
def test_training_subcommand(text, is_training, choice):
    assert grammar.is_training(text) is is_training
    if is_training:
        assert grammar.training_choice(text) is choice


@pytest.mark.parametrize(
    ("text", "switch"),
    [
        ("training on", "training"),
        (" Analytics OFF", "analytics"),
        ("analytics", "analytics"),
        ("analyticson", None),
        ("--model preview", None),
        ("", None),
    ],
)
def test_settings_switches_are_named_by_the_grammar(text, switch):
    assert grammar.settings_switch(text) == switch
    assert set(grammar.SETTINGS_SWITCHES) == {"training", "analytics"}


def test_subcommand_splits_the_first_word():
    assert grammar.subcommand("  Training  On ") == grammar.Subcommand("training", "On")
    assert grammar.subcommand("") == grammar.Subcommand("", "")


@pytest.mark.parametrize(
    ("plan", "portal"), [("manage", True), (" Cancel", True), ("PORTAL", True), ("pro", False)]
)
def test_subscribe_manage_words(plan, portal):
    assert grammar.wants_portal(plan) is portal


# -- terms, history, deletion, unexpected errors ---------------------------------------


def test_accepted_text_mentions_welcome_credits_only_when_granted():
    account = object()
    assert accepted_text(echo, Acceptance(account=account, welcome_credits=25)) == (
        "terms.accepted_welcome credits=25"
    )
    assert accepted_text(echo, Acceptance(account=account, welcome_credits=0)) == "terms.accepted"


def test_history_lines_list_each_job_then_its_images():
    job = replace(accepted(), images=[ImageView("img1", "http://x/1", 1, 1, "image/png")])
    lines = history_lines(
        echo, [job, accepted()], job_line=lambda j: f"job {j.job_id[:4]}", image_line=str
    )
    assert lines[0] == "job 0123" and lines[1].startswith("ImageView(") and len(lines) == 3
    assert history_lines(echo, [], job_line=str, image_line=str) == ["history.empty"]


def test_image_deleted_text_shows_the_id_clipped():
    assert image_deleted_text(echo, " " + "x" * 30 + " ") == "privacy.image_deleted image_id=" + (
        "x" * 24
    )


def test_unknown_command_text_echoes_the_first_word_clipped():
    assert (
        unknown_command_text(echo, "/Frobnicate now") == "chat.unknown_command command=/Frobnicate"
    )
    assert unknown_command_text(echo, "/" + "x" * 50).endswith("=/" + "x" * 39)
    assert unknown_command_text(english, "/nope").startswith("Unknown command /nope.")


def test_generic_error_text_carries_a_fresh_reference():
    first, second = new_correlation_id(), new_correlation_id()
    assert len(first) == 8 and first != second
    assert generic_error_text(english, first).endswith(f"(ref {first})")


# -- billing -------------------------------------------------------------------------


def test_redeemed_text():
    done = Redemption(code="GOOD", credits=5, settled_credits=0, balance_credits=9)
    assert redeemed_text(english, done) == (
        "Promo code GOOD redeemed: 5 credits added. Balance: 9 credits."
    )


# -- the ChatContext protocol ----------------------------------------------------------


@pytest.mark.parametrize("platform_context", [ConsoleAdapter, InteractionContext, Ctx])
def test_each_chat_offers_what_a_chat_context_needs(platform_context):
    members = [name for name in vars(ChatContext) if not name.startswith("_")]
    assert sorted(members) == ["actor", "core", "locale", "reply", "t"]
    for name in members:
        assert hasattr(platform_context, name), name
    assert inspect.iscoroutinefunction(platform_context.reply)


# -- shared flows over a ChatContext -------------------------------------------------


class Privacy:
    """The one port the flows below call: records what it was asked."""

    def __init__(self) -> None:
        self.calls: list[tuple] = []

    async def set_training_opt_in(self, actor, allowed: bool) -> None:
        self.calls.append(("training", actor, allowed))

    async def set_analytics_opt_in(self, actor, allowed: bool) -> None:
        self.calls.append(("analytics", actor, allowed))

    async def delete_image(self, actor, image_id: str) -> None:
        self.calls.append(("delete", actor, image_id))


@dataclass
class RecordingContext:
    core: object
    actor: str = "ada"
    locale: str | None = "en"
    replies: list[str] = field(default_factory=list)

    def t(self, key: str, **params: object) -> str:
        return echo(key, **params)

    async def reply(self, text: str) -> None:
        self.replies.append(text)


def context() -> tuple[RecordingContext, Privacy]:
    privacy = Privacy()
    return RecordingContext(core=SimpleNamespace(privacy=privacy)), privacy


@pytest.mark.parametrize(
    ("text", "call", "reply"),
    [
        ("training on", ("training", "ada", True), "privacy.training_on"),
        ("training OFF", ("training", "ada", False), "privacy.training_off"),
        ("training", None, "usage"),
        ("training yes", None, "usage"),
    ],
)
async def test_training_flow(text, call, reply):
    ctx, privacy = context()
    await flows.training(ctx, text, usage_key="usage")
    assert privacy.calls == ([call] if call else [])
    assert ctx.replies == [reply]


@pytest.mark.parametrize(
    ("text", "call", "reply"),
    [
        ("analytics on", ("analytics", "ada", True), "privacy.analytics_on"),
        ("Analytics off", ("analytics", "ada", False), "privacy.analytics_off"),
        ("analytics", None, "telegram.analytics_usage"),
        ("analytics yes", None, "telegram.analytics_usage"),
        ("training on", ("training", "ada", True), "privacy.training_on"),
        ("training", None, "telegram.training_usage"),
    ],
)
async def test_settings_switch_flow(text, call, reply):
    ctx, privacy = context()
    await flows.settings_switch(
        ctx,
        text,
        training_usage="telegram.training_usage",
        analytics_usage="telegram.analytics_usage",
    )
    assert privacy.calls == ([call] if call else [])
    assert ctx.replies == [reply]


async def test_delete_flow_strips_the_id_and_asks_for_one_when_missing():
    ctx, privacy = context()
    await flows.delete_image(ctx, "  img1 ", usage_key="usage")
    await flows.delete_image(ctx, "   ", usage_key="usage")
    assert privacy.calls == [("delete", "ada", "img1")]
    assert ctx.replies == ["privacy.image_deleted image_id=img1", "usage"]
