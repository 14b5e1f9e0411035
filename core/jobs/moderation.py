"""The operator's blocklist, checked before anything is spent."""

from __future__ import annotations

import re

from core.catalog import Moderation
from core.errors import PromptRefused


class Blocklist:
    def __init__(self, moderation: Moderation) -> None:
        parts = [rf"\b{re.escape(word)}\b" for word in moderation.blocked_words if word]
        parts += [f"(?:{pattern})" for pattern in moderation.blocked_patterns]
        self._pattern = re.compile("|".join(parts), re.IGNORECASE) if parts else None

    def check(self, *texts: str | None) -> None:
        """Raises: PromptRefused when any text matches."""
        if self._pattern is None:
            return
        for text in texts:
            if text and self._pattern.search(text):
                raise PromptRefused()
