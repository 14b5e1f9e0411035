"""Codes the core hands out (a job's status in /history, a credit movement's reason in
/credits) are selected on by every launch locale, never shown as they are: they were
English code words ("succeeded", "admin_grant") inside translated lines."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

import pytest

from adapters.common.catalogue import LOCALES_DIR as COMMON_LOCALES
from adapters.telegram.render import LOCALES_DIR as TELEGRAM_LOCALES
from core.jobs.status import JobStatus
from core.ledger.reasons import Reason
from core.text.catalogue import Messages

LAUNCH_LOCALES = ("en", "es", "pt-BR", "ru", "de")
AT = datetime(2026, 12, 6, 14, 5, tzinfo=UTC)
UNKNOWN = "zz_unknown"
CASES = [
    ("history.item", "status", JobStatus, COMMON_LOCALES),
    ("telegram.history_item", "status", JobStatus, TELEGRAM_LOCALES),
    ("credits.entry", "reason", Reason, COMMON_LOCALES),
]
PARAMS = {"created_at": AT, "job_id": "j1", "model_id": "m", "prompt": "p"}
PARAMS |= {"amount_credits": "+5", "reference": "r"}


def worded(messages: Messages, key: str, name: str, codes: type[StrEnum], locale: str):
    """(the catch-all's text, {code: its text})."""

    def render(value: str) -> str:
        params = {k: v for k, v in PARAMS.items() if k in messages.variables(key, locale)}
        return messages.render(key, locale, **params, **{name: value})

    return render(UNKNOWN), {code.value: render(code.value) for code in codes}


@pytest.mark.parametrize("locale", LAUNCH_LOCALES)
@pytest.mark.parametrize(("key", "name", "codes", "folder"), CASES)
def test_every_code_is_worded_in_every_locale(key, name, codes, folder: Path, locale):
    messages = Messages().layered(folder) if folder != COMMON_LOCALES else Messages(folder)
    catch_all, texts = worded(messages, key, name, codes, locale)
    assert UNKNOWN not in catch_all  # a code is never shown as it is
    same = sorted(code for code, text in texts.items() if text == catch_all)
    assert same == [], f"{key} in {locale} has no words for {same}"
    assert all("_" not in text for text in texts.values()), texts
