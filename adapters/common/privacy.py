"""/forgetme's challenge, worded once: the code and how many minutes it stays valid."""

from __future__ import annotations

from adapters.common.wording import Translate
from core import ErasureChallenge

SECONDS_PER_MINUTE = 60
IMAGE_ID_SHOWN_CHARS = 24  # the longest image id the core issues; more is not an id


def challenge_minutes(challenge: ErasureChallenge) -> int:
    """Whole minutes left, at least one (a code about to expire still says "1 minute")."""
    return max(1, challenge.expires_in_s // SECONDS_PER_MINUTE)


def forget_challenge_text(t: Translate, key: str, challenge: ErasureChallenge) -> str:
    """``key`` is the platform's wording (type the code back, or press Confirm)."""
    return t(key, code=challenge.code, minutes=challenge_minutes(challenge))


def image_deleted_text(t: Translate, image_id: str) -> str:
    """/delete IMAGE or the Delete button: done (the id as typed, clipped)."""
    return t("privacy.image_deleted", image_id=image_id.strip()[:IMAGE_ID_SHOWN_CHARS])
