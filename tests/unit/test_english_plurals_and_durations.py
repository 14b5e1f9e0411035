"""English says "1 credit" and "2 credits" (Fluent selectors on CLDR categories), and a
duration in words in the user's locale ("in 40 seconds", "in 1 hour") through the
catalogue's DURATION function; dates in the locale's format with "UTC" kept."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from adapters.common.catalogue import chat_messages
from adapters.telegram.render import LOCALES_DIR as TELEGRAM_LOCALES
from core.text.catalogue import Messages

CHAT = chat_messages(Messages(), TELEGRAM_LOCALES)


@pytest.mark.parametrize(
    ("key", "params", "text"),
    [
        ("credits.balance", {"balance_credits": 1}, "Balance: 1 credit."),
        ("credits.balance", {"balance_credits": 0}, "Balance: 0 credits."),
        ("credits.balance", {"balance_credits": 1000}, "Balance: 1,000 credits."),
        ("job.cancelled", {"job_id": "ab", "refunded_credits": 1}, "Refunded 1 credit."),
        ("privacy.counted.identities", {"n": 1}, "1 chat identity"),
        ("privacy.counted.identities", {"n": 2}, "2 chat identities"),
        ("privacy.counted.accounts", {"n": 1}, "1 account"),
        (
            "telegram.queued",
            {"count": 1, "cost_credits": 1, "balance_credits": 5, "position": 1},
            "Queued (1 image, 1 credit; balance 5)",
        ),
        (
            "job.queued",
            {"job_id": "ab", "count": 2, "cost_credits": 2, "balance_credits": 1, "position": 3},
            "Queued ab (2 images, 2 credits; balance 1)",
        ),
    ],
)
def test_english_counts_agree_with_their_nouns(key, params, text):
    rendered, errors = CHAT.render_checked(key, "en", **params)
    assert errors == []
    assert text in rendered
    assert "(s)" not in rendered and "(ies)" not in rendered


@pytest.mark.parametrize(
    ("seconds", "locale", "words"),
    [
        (40, "en", "in 40 seconds"),
        (3598, "en", "in 1 hour"),
        (1, "en", "in 1 second"),
        (120, "de", "in 2 Minuten"),
        (300, "ru", "через 5 минут"),
    ],
)
def test_a_wait_is_said_in_words_in_the_users_language(seconds, locale, words):
    assert Messages.duration(seconds, locale, direction="in") == words
    text, errors = Messages().render_checked("error.rate_limited", "en", retry_after_s=seconds)
    if locale == "en":  # the message says it through DURATION, in the bundle's locale
        assert errors == [] and f"try again {words}." in text


def test_a_deadline_in_minutes_is_said_in_hours_when_it_is_hours():
    text, errors = Messages().render_checked("error.job_deadline", "en", deadline_min=60)
    assert errors == [] and "within 1 hour" in text


def test_dates_are_in_the_locales_format_and_say_utc():
    at = datetime(2026, 12, 6, 14, 5, tzinfo=UTC)
    text, errors = CHAT.render_checked(
        "privacy.export_ready", "en", size_kb=3, images=1, expires_at=at, url="u"
    )
    assert errors == []
    assert "(3 KB, 1 image)" in text
    assert "Dec 6, 2026" in text and "2:05" in text and "UTC" in text
    assert Messages.datetime(at, "de") == "06.12.2026, 14:05"


def test_a_missing_duration_still_shows_its_name():
    text, errors = Messages().render_checked("error.rate_limited", "en")
    assert "{retry_after_s}" in text and errors
