"""The rules a request meets before anything is spent, without a database: the model's
limits (aspect, seed, count, negative prompt), the price, the aspect grammar, the
catalogue's look-ups, the operator's blocklist and the promo-code grammar. The
integration tests check that submission applies them (tests/integration/test_core_flow.py,
test_billing_promo.py, test_variations.py)."""

from __future__ import annotations

import pytest

from core.billing.promo import CODE_PATTERN, normalise_code
from core.catalog import Catalog, ModelSpec, Moderation, Plan, parse_aspect
from core.errors import InvalidOption, PromptRefused
from core.jobs.moderation import Blocklist
from core.jobs.requests import PROMPT_MAX_CHARS, SEED_MAX, resolve_request
from core.types import ImagineRequest, ReplyTarget

PLAIN = ModelSpec(
    id="plain",
    label="Plain",
    routes=("local",),
    cost_credits=3,
    aspect_ratios=("1:1", "16:9"),
    default_aspect="16:9",
    max_images=2,
    supports_seed=False,
    supports_negative_prompt=False,
)
RICH = ModelSpec(
    id="rich",
    label="Rich",
    routes=("local",),
    cost_credits=2,
    aspect_ratios=("1:1", "3:2", "9:16"),
    default_aspect="1:1",
    max_images=4,
)
CATALOG = Catalog(
    models={"plain": PLAIN, "rich": RICH},
    plans={"free": Plan("free", "Free", image_retention_days=30), "pro": Plan("pro", "Pro")},
    packs={},
    default_model_id="rich",
)


def _refusal(request: ImagineRequest, **defaults) -> tuple[str, str]:
    with pytest.raises(InvalidOption) as err:
        resolve_request(request, CATALOG, **defaults)
    return err.value.field, err.value.reason


@pytest.mark.parametrize(
    ("model", "count", "cost"), [("rich", 1, 2), ("rich", 4, 8), ("plain", 2, 6)]
)
def test_the_price_is_the_models_per_image_cost_times_the_count(model, count, cost):
    resolved = resolve_request(ImagineRequest("a fox", model_id=model, image_count=count), CATALOG)
    assert resolved.cost_credits == cost == resolved.model.cost_for(count)


def test_an_explicit_model_beats_the_preference_and_the_catalogue_default():
    assert resolve_request(ImagineRequest("a fox"), CATALOG).model.id == "rich"
    assert resolve_request(ImagineRequest("a fox"), CATALOG, default_model="plain").model.id == (
        "plain"
    )
    explicit = ImagineRequest("a fox", model_id=" Plain ")
    assert resolve_request(explicit, CATALOG, default_model="rich").model.id == "plain"
    assert resolve_request(ImagineRequest("a"), CATALOG, fallback_model="plain").model.id == (
        "plain"
    )


def test_the_aspect_comes_from_the_request_then_a_fitting_preference_then_the_model():
    def aspect(request: ImagineRequest, **defaults) -> str:
        return resolve_request(request, CATALOG, **defaults).aspect_ratio

    assert aspect(ImagineRequest("a", model_id="plain")) == "16:9"
    assert aspect(ImagineRequest("a", model_id="plain"), default_aspect="1:1") == "1:1"
    # A preference this model does not offer is ignored, not refused.
    assert aspect(ImagineRequest("a", model_id="plain"), default_aspect="9:16") == "16:9"
    assert aspect(ImagineRequest("a", model_id="plain", aspect_ratio="16x9")) == "16:9"


def test_an_aspect_the_model_does_not_offer_is_refused_with_the_allowed_ones():
    with pytest.raises(InvalidOption) as err:
        resolve_request(ImagineRequest("a", model_id="plain", aspect_ratio="3:2"), CATALOG)
    assert (err.value.field, err.value.reason) == ("aspect", "not_allowed")
    assert err.value.params["allowed"] == "1:1, 16:9"


def test_seed_limits():
    assert resolve_request(ImagineRequest("a", seed=SEED_MAX), CATALOG).seed == SEED_MAX
    assert resolve_request(ImagineRequest("a", seed=0), CATALOG).seed == 0
    assert _refusal(ImagineRequest("a", seed=SEED_MAX + 1)) == ("seed", "seed_range")
    assert _refusal(ImagineRequest("a", seed=-1)) == ("seed", "seed_range")
    assert _refusal(ImagineRequest("a", model_id="plain", seed=7)) == ("seed", "unsupported")


def test_image_count_limits():
    assert resolve_request(ImagineRequest("a"), CATALOG).image_count == 1
    assert resolve_request(ImagineRequest("a", image_count=4), CATALOG).image_count == 4
    assert _refusal(ImagineRequest("a", image_count=0)) == ("count", "count_range")
    assert _refusal(ImagineRequest("a", image_count=5)) == ("count", "count_range")
    assert _refusal(ImagineRequest("a", model_id="plain", image_count=3)) == (
        "count",
        "count_range",
    )


def test_negative_prompt_rules():
    cleaned = resolve_request(ImagineRequest("a", negative_prompt=" blur\n text "), CATALOG)
    assert cleaned.negative_prompt == "blur text"
    # Nothing left after cleaning is no negative prompt, even where none is supported.
    blank = ImagineRequest("a", model_id="plain", negative_prompt=" \x00 ")
    assert resolve_request(blank, CATALOG).negative_prompt is None
    assert _refusal(ImagineRequest("a", negative_prompt="x" * (PROMPT_MAX_CHARS + 1))) == (
        "negative",
        "negative_too_long",
    )
    assert _refusal(ImagineRequest("a", model_id="plain", negative_prompt="blur")) == (
        "negative",
        "unsupported",
    )


@pytest.mark.parametrize(
    ("text", "ratio"),
    [
        ("16:9", (16, 9)),
        (" 4x3 ", (4, 3)),
        ("4:1", (4, 1)),
        ("1:4", (1, 4)),
        ("5:1", None),  # a sliver
        ("0:1", None),
        ("16:", None),
        ("a:b", None),
        ("1000:1000", None),
        ("1:1:1", None),
    ],
)
def test_aspect_grammar(text, ratio):
    assert parse_aspect(text) == ratio


def test_catalogue_look_ups():
    assert CATALOG.model(" RICH ") is RICH and CATALOG.model("gone") is None
    assert CATALOG.plan("pro").id == "pro"
    assert CATALOG.plan("retired-plan").id == "free"  # an account on a removed plan
    assert CATALOG.provider_limits("nowhere").max_concurrency > 0


def test_the_blocklist_matches_whole_words_and_patterns_in_any_case():
    blocklist = Blocklist(Moderation(blocked_words=("fox", ""), blocked_patterns=(r"c[a@]t",)))
    for text in ("a FOX at dawn", "a fox.", "a C@T"):
        with pytest.raises(PromptRefused):
            blocklist.check("a harbour", text)
    blocklist.check("a foxglove", "foxes", None, "")  # words match whole
    Blocklist(Moderation()).check("fox")  # an empty list refuses nothing


@pytest.mark.parametrize(
    ("typed", "valid"),
    [
        (" welcome10 ", True),
        ("launch-25", True),
        ("A_B", True),
        ("x" * 64, True),
        ("x" * 65, False),
        ("ab", False),
        ("-abc", False),
        ("with space", False),
        ("café", False),
    ],
)
def test_promo_code_grammar(typed, valid):
    code = normalise_code(typed)
    assert code == typed.strip().upper()
    assert bool(CODE_PATTERN.match(code)) is valid


def test_reply_targets_carry_platform_addresses():
    discord = ReplyTarget(
        "discord", {"application_id": "1", "interaction_token": "tok", "channel_id": "99"}
    )
    telegram = ReplyTarget("telegram", {"chat_id": -1001, "message_id": 42})
    for target in (discord, telegram):
        assert ReplyTarget.from_json(target.to_json()) == target
    assert ReplyTarget.from_json(None) is None
