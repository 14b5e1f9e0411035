"""The erasure receipt words every count any participant can produce (issue 17, edge 9:
it showed `1 promo_redemptions_deleted`)."""

from __future__ import annotations

from datetime import UTC, datetime

from redis.asyncio import Redis

from adapters.common.catalogue import LOCALES_DIR as COMMON_LOCALES
from adapters.common.wording import receipt_text
from core.billing.privacy import register_billing_participants
from core.messaging.keys import RedisKeys
from core.privacy.abuse import AbusePreventionParticipant
from core.privacy.erase import ErasureReceipt
from core.privacy.participants import register_core_participants
from core.privacy.registry import PrivacyRegistry
from core.text.catalogue import Messages

MESSAGES = Messages().layered(COMMON_LOCALES)


def _every_count_key() -> frozenset[str]:
    """The participants bootstrap registers, with Redis and without (registering does
    no I/O: the Redis client is never connected)."""
    found: set[str] = set()
    for redis in (None, Redis(host="127.0.0.1", port=1)):
        keys = RedisKeys() if redis is not None else None
        registry = PrivacyRegistry()
        register_core_participants(registry, storage=None, rates=None, redis=redis, keys=keys)
        registry.register(AbusePreventionParticipant(None))
        register_billing_participants(registry, None, redis=redis, keys=keys)
        found |= registry.count_keys
    return frozenset(found)


def test_the_registry_knows_the_billing_counts():
    keys = _every_count_key()
    assert {"promo_redemptions_deleted", "payments_pseudonymised", "uploads"} <= keys
    assert {"redis_entries", "rate_windows"} <= keys


def test_every_count_key_has_a_text_and_the_receipt_shows_no_internal_key():
    keys = _every_count_key()
    missing = sorted(k for k in keys if not MESSAGES.has(f"privacy.counted.{k}"))
    assert missing == []
    at = datetime(2026, 1, 2, tzinfo=UTC)
    receipt = ErasureReceipt("e1", True, at, at, counts=dict.fromkeys(keys, 2))
    text = receipt_text(lambda key, **p: MESSAGES.render(key, "en", **p), MESSAGES.has, receipt)
    for key in keys:  # each count in its own words, never by its key
        assert MESSAGES.render(f"privacy.counted.{key}", "en", n=2) in text, key
        assert "_" not in key or key not in text, key


def test_a_count_without_a_text_is_never_shown_by_its_key():
    at = datetime(2026, 1, 2, tzinfo=UTC)
    receipt = ErasureReceipt("e1", True, at, at, counts={"future_things_deleted": 3})
    text = receipt_text(lambda key, **p: MESSAGES.render(key, "en", **p), MESSAGES.has, receipt)
    assert "future_things" not in text and "3" in text


# "Removed: nothing" in each language's own word (it was English from code).
NOTHING = {"en": "Removed: nothing.", "es": "Eliminado: nada.", "pt-BR": "Removido: nada."}
NOTHING |= {"ru": "Удалено: ничего.", "de": "Entfernt: nichts."}


def test_an_erasure_that_removed_nothing_says_so_in_the_users_language():
    at = datetime(2026, 1, 2, tzinfo=UTC)
    receipt = ErasureReceipt("e1", True, at, at, counts={"images": 0})
    for locale, said in NOTHING.items():
        text = receipt_text(
            lambda key, locale=locale, **p: MESSAGES.render(key, locale, **p), MESSAGES.has, receipt
        )
        assert said in text, (locale, text)


def test_something_kept_without_a_text_is_never_shown_by_its_key():
    at = datetime(2026, 1, 2, tzinfo=UTC)
    receipt = ErasureReceipt("e1", True, at, at, kept=("future_records", "later_records"))
    for locale in NOTHING:
        text = receipt_text(
            lambda key, locale=locale, **p: MESSAGES.render(key, locale, **p), MESSAGES.has, receipt
        )
        assert "_records" not in text, (locale, text)
        assert text.count(MESSAGES.render("privacy.kept.other", locale)) == 1, (locale, text)
