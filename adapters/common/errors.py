"""The answer to an unexpected failure, alike on every chat: an apology with a short
reference that the adapter also writes in its log, with the traceback."""

from __future__ import annotations

import uuid

from adapters.common.wording import Translate

CORRELATION_ID_CHARS = 8


def new_correlation_id() -> str:
    return uuid.uuid4().hex[:CORRELATION_ID_CHARS]


def generic_error_text(t: Translate, correlation_id: str) -> str:
    return t("error.generic", correlation_id=correlation_id)
