"""Hypothesis strategies for the bad-input targets, shared by the property tests
(tests/unit/test_fuzz_parsers.py, tests/integration/test_fuzz_webhooks.py) and
``benchmarks/fuzz.py``: one strategy per target, named ``<target>_inputs``.

Each mixes words the grammar knows (options, their aliases, a phone's dashes, values
near the limits) with arbitrary text, so that inputs reach past the first refusal."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

from core import PROMPT_MAX_CHARS, SEED_MAX

# Unicode without surrogates (no platform delivers them); controls, bidi marks and
# combining characters stay in.
ANY_CHAR = st.characters(blacklist_categories=("Cs",))
ANY_TEXT = st.text(ANY_CHAR, max_size=40)

_NUMBERS = st.one_of(
    st.integers(-(2**70), 2**70).map(str),
    st.sampled_from(["0", "-1", "1", str(SEED_MAX), str(SEED_MAX + 1), "1e3", "٣", "１", "0x10"]),
)
_VALUES = st.one_of(
    _NUMBERS,
    st.sampled_from(["16:9", "1:1", "16x9", "9:16", "0:0", "21:9", ":", "x"]),
    st.sampled_from(["on", "OFF", "yes", "no", "maybe", "en", "pt-BR", "xx", "ru", "DE"]),
    st.sampled_from(["preview", "seedream", "nope", "local", ""]),
    ANY_TEXT,
)
# A value long enough to cross PROMPT_MAX_CHARS once joined (5,000 characters in issue 17).
_LONG = st.integers(PROMPT_MAX_CHARS - 2, 5 * PROMPT_MAX_CHARS).map(lambda n: "x" * n)
_DASHES = st.sampled_from(["--", "\u2014", "\u2013", "---", "-"])


def _options(names: list[str]) -> st.SearchStrategy[str]:
    known = st.builds(
        lambda dash, name, upper: dash + (name.upper() if upper else name),
        _DASHES,
        st.sampled_from(names),
        st.booleans(),
    )
    return st.one_of(known, st.builds(lambda t: "--" + t, ANY_TEXT))


_IMAGINE_OPTIONS = ["ar", "aspect", "seed", "no", "n", "count", "model", "m", "enhance"]
_SETTINGS_OPTIONS = ["model", "m", "ar", "aspect", "lang", "language", "file", "private"]
_WHITESPACE = st.sampled_from([" ", "  ", "\t", "\n", "\u00a0", "\u3000", "\u2028"])


def _sentence(words: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.builds(
        lambda parts, seps: "".join(p + seps[i % len(seps)] for i, p in enumerate(parts)),
        st.lists(words, max_size=12),
        st.lists(_WHITESPACE, min_size=1, max_size=3),
    )


def imagine_inputs() -> st.SearchStrategy[str]:
    """``/imagine`` text: prompt words, options and values in any order, or anything."""
    words = st.one_of(_options(_IMAGINE_OPTIONS), _VALUES, _LONG, ANY_TEXT)
    return st.one_of(_sentence(words), st.text(ANY_CHAR, max_size=200))


def settings_inputs() -> st.SearchStrategy[str]:
    """``/settings`` text: option and value pairs (some unpaired), or anything."""
    words = st.one_of(_options(_SETTINGS_OPTIONS), _VALUES)
    return st.one_of(_sentence(words), st.text(ANY_CHAR, max_size=200))


_IMAGE_PATHS = st.one_of(
    st.sampled_from(
        [
            '""',
            "''",
            '"a b.png"',
            "'x",
            "~",
            "~/x.png",
            "~nosuchuser-fuzz/x.png",
            "/",
            "/nonexistent/x.png",
            "https://example.com/a.png",
            "file:///etc/hosts",
            ".",
            "..",
            "a\x00b",
            "--no",
            "\u2014image",
        ]
    ),
    ANY_TEXT,
)


def console_imagine_inputs() -> st.SearchStrategy[str]:
    """The console's ``/imagine`` text: the core's grammar plus ``--image PATH``."""
    image = st.builds(lambda dash, path: f"{dash}image {path}", _DASHES, _IMAGE_PATHS)
    words = st.one_of(image, st.just("--image"), _options(_IMAGINE_OPTIONS), _VALUES, ANY_TEXT)
    return _sentence(words)


# -- the admin command line ---------------------------------------------------------

_USERS = st.one_of(
    st.sampled_from(["telegram:12345", "discord:1", ":", "telegram:", ":1", "x"]),
    ANY_TEXT,
)
_ARG = st.one_of(
    _NUMBERS,
    _USERS,
    st.sampled_from(["--reason", "--reference", "--revoke", "--copy-objects", "--force", "-h"]),
    ANY_TEXT,
)


def admin_argv() -> st.SearchStrategy[list[str]]:
    """``seedream`` arguments: a real (sub)command and arbitrary arguments after it."""
    commands = st.sampled_from(
        [
            ["admin", "grant"],
            ["admin", "balance"],
            ["admin", "ban"],
            ["admin", "unban"],
            ["admin", "promo", "create"],
            ["admin", "refund-stars"],
            ["admin", "stars-refunds"],
            ["admin", "dashboard-link"],
            ["backup"],
            ["restore"],
            ["discord", "--shard-ids"],
            ["discord", "--shard-count"],
            ["worker", "--concurrency"],
            ["admin"],
            [],
        ]
    )
    extra = st.lists(
        st.one_of(
            _ARG,
            st.sampled_from(["--credits", "--max-redemptions", "--expires", "--shard-count"]),
            st.sampled_from(["2026-02-30", "2026-12-31", "9999-12-31T23:59:59+14:00", "0"]),
        ),
        max_size=8,
    )
    return st.builds(lambda c, e: [*c, *e], commands, extra)


# -- Discord options, as discord.py hands them to the command --------------------------


def discord_imagine_options(max_count: int = 4) -> st.SearchStrategy[dict[str, Any]]:
    """``/imagine``'s options within what Discord enforces (string lengths, integer
    ranges); ``model`` is free text (autocomplete suggests, it does not restrict) and so
    is ``aspect`` as a client may send it."""
    text = st.text(ANY_CHAR, min_size=1, max_size=PROMPT_MAX_CHARS)
    return st.fixed_dictionaries(
        {"prompt": st.one_of(text, st.sampled_from([" ", "\u200b", "\x00", "\u202e"]))},
        optional={
            "model": st.one_of(_VALUES, st.text(ANY_CHAR, max_size=100)),
            "aspect": _VALUES,
            "seed": st.integers(0, SEED_MAX),
            "negative": text,
            "count": st.integers(1, max_count),
            "enhance": st.booleans(),
        },
    )


def discord_settings_options() -> st.SearchStrategy[dict[str, Any]]:
    """``/settings``' options: model and aspect and language as free strings."""
    return st.fixed_dictionaries(
        {},
        optional={
            "model": _VALUES,
            "aspect": _VALUES,
            "language": _VALUES,
            "private": st.booleans(),
        },
    )


# -- webhook bodies -------------------------------------------------------------------

JSON_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(ANY_CHAR, max_size=20),
)
ANY_JSON = st.recursive(
    JSON_SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)

_STRIPE_TYPES = [
    "checkout.session.completed",
    "checkout.session.async_payment_succeeded",
    "checkout.session.async_payment_failed",
    "checkout.session.expired",
    "charge.refunded",
    "charge.dispute.created",
    "charge.dispute.closed",
    "invoice.paid",
    "invoice.payment_succeeded",
    "invoice.payment_failed",
    "customer.subscription.created",
    "customer.subscription.updated",
    "customer.subscription.deleted",
    "refund.created",
    "refund.updated",
    "payment_intent.succeeded",
]
_STRIPE_FIELDS = [
    "id",
    "object",
    "mode",
    "status",
    "payment_status",
    "customer",
    "subscription",
    "payment_intent",
    "client_reference_id",
    "metadata",
    "amount_total",
    "amount",
    "amount_refunded",
    "amount_paid",
    "currency",
    "refunded",
    "refunds",
    "charge",
    "invoice",
    "lines",
    "items",
    "parent",
    "current_period_end",
    "cancel_at_period_end",
    "latest_invoice",
    "billing_reason",
    "reason",
    "created",
    "payments",
]
_STRIPE_VALUES = st.one_of(
    ANY_JSON,
    st.sampled_from(["cs_test_1", "pi_1", "in_1", "sub_1", "cus_1", "ch_1", "usd", "paid"]),
    st.dictionaries(
        st.sampled_from(["account_id", "pack_id", "plan_id", "kind", "credits", "reference"]),
        st.one_of(st.text(max_size=12), _NUMBERS),
        max_size=4,
    ),
)


def stripe_events() -> st.SearchStrategy[Any]:
    """An event's JSON: mostly shaped like Stripe's (a known type, fields it reads with
    values of any type), sometimes any JSON at all."""
    obj = st.dictionaries(st.sampled_from(_STRIPE_FIELDS), _STRIPE_VALUES, max_size=10)
    event = st.fixed_dictionaries(
        {
            "id": st.one_of(
                st.builds(lambda t: "evt_" + t, ANY_TEXT),
                st.text(ANY_CHAR, max_size=300),
                st.integers(),
            ),
            "object": st.just("event"),
            "type": st.one_of(st.sampled_from(_STRIPE_TYPES), ANY_TEXT),
            "data": st.one_of(st.fixed_dictionaries({"object": obj}), ANY_JSON),
        },
        optional={
            "created": st.one_of(st.integers(0, 2**40), JSON_SCALARS),
            "livemode": JSON_SCALARS,
            "api_version": ANY_JSON,
        },
    )
    return st.one_of(event, event, event, ANY_JSON)


def stripe_bodies() -> st.SearchStrategy[tuple[bytes, str]]:
    """A webhook body and how to sign it: ``valid`` (the real signature over exactly
    these bytes), ``wrong`` (another secret), ``garbage`` (any header) or ``none``."""
    as_json = stripe_events().map(lambda e: json.dumps(e).encode())
    raw = st.binary(max_size=300)
    return st.tuples(
        st.one_of(as_json, as_json, as_json, raw),
        st.sampled_from(["valid", "valid", "valid", "wrong", "garbage", "none"]),
    )


_TG_USER = st.fixed_dictionaries(
    {
        "id": st.one_of(st.integers(-(2**65), 2**65), JSON_SCALARS),
        "is_bot": st.booleans(),
        "first_name": st.text(max_size=10),
    },
    optional={"language_code": st.one_of(_VALUES, JSON_SCALARS), "username": ANY_TEXT},
)
_TG_CHAT = st.fixed_dictionaries(
    {
        "id": st.one_of(st.integers(-(2**65), 2**65), JSON_SCALARS),
        "type": st.sampled_from(["private", "group", "supergroup", "channel", "x"]),
    }
)
_TG_TEXT = st.one_of(
    st.builds(
        lambda c, rest: f"{c} {rest}",
        st.sampled_from(
            [
                "/imagine",
                "/settings",
                "/start",
                "/redeem",
                "/link",
                "/cancel",
                "/vary",
                "/buy",
                "/delete",
                "/forgetme",
                "/help",
                "/credits",
                "/imagine@bot",
            ]
        ),
        imagine_inputs(),
    ),
    ANY_TEXT,
    JSON_SCALARS,
)


def telegram_updates() -> st.SearchStrategy[Any]:
    """An update's JSON: a message, an edited message, a callback query, a pre-checkout
    query or a payment with fields of any type, or any JSON at all."""
    message = st.fixed_dictionaries(
        {
            "message_id": st.one_of(st.integers(-(2**65), 2**65), JSON_SCALARS),
            "date": st.one_of(st.integers(0, 2**33), JSON_SCALARS),
            "chat": st.one_of(_TG_CHAT, ANY_JSON),
        },
        optional={
            "from": st.one_of(_TG_USER, ANY_JSON),
            "text": _TG_TEXT,
            "caption": _TG_TEXT,
            "photo": ANY_JSON,
            "document": ANY_JSON,
            "successful_payment": ANY_JSON,
            "entities": ANY_JSON,
        },
    )
    callback = st.fixed_dictionaries(
        {"id": st.text(max_size=10), "from": _TG_USER, "chat_instance": st.text(max_size=5)},
        optional={"data": st.one_of(ANY_TEXT, JSON_SCALARS), "message": message},
    )
    pre_checkout = st.fixed_dictionaries(
        {
            "id": st.text(max_size=10),
            "from": _TG_USER,
            "currency": st.sampled_from(["XTR", "x"]),
            "total_amount": st.one_of(st.integers(-(2**65), 2**65), JSON_SCALARS),
            "invoice_payload": st.one_of(ANY_TEXT, JSON_SCALARS),
        },
    )
    kind = st.one_of(
        st.fixed_dictionaries({"message": message}),
        st.fixed_dictionaries({"edited_message": message}),
        st.fixed_dictionaries({"callback_query": callback}),
        st.fixed_dictionaries({"pre_checkout_query": pre_checkout}),
        st.dictionaries(st.text(max_size=12), ANY_JSON, max_size=3),
    )
    update = st.builds(
        lambda uid, body: {"update_id": uid, **body},
        st.one_of(st.integers(0, 2**31), JSON_SCALARS),
        kind,
    )
    return st.one_of(update, update, update, ANY_JSON)


def telegram_bodies() -> st.SearchStrategy[tuple[bytes, bool]]:
    """A webhook body and whether it carries the right secret header."""
    as_json = telegram_updates().map(lambda u: json.dumps(u).encode())
    return st.tuples(
        st.one_of(as_json, as_json, as_json, st.binary(max_size=200)),
        st.sampled_from([True, True, True, True, False]),
    )
