"""Reference images users bring to /imagine: checked, re-encoded without metadata and
stored under the account (``uploads/<account>/``) like any other personal data."""

from __future__ import annotations

from core.errors import ReferenceImageRefused
from core.settings import CoreSettings

# Why an upload is refused (``ReferenceImageRefused.reason``, each a message key).
REFUSAL_REASONS = (
    "empty",
    "too_large",
    "not_an_image",
    "too_many_pixels",
    "animated",
    "unreadable",
    "too_many",
    "unsupported",
    "disabled",
    "paid_plans_only",
)


def check_declared_size(settings: CoreSettings, size_bytes: int) -> None:
    """Refuse an upload by the size its platform declares, before it is downloaded.

    Raises:
        ReferenceImageRefused: uploads are off (``disabled``), or ``size_bytes`` is over
            the limit (``too_large``) or 0 (``empty``).
    """
    if not settings.uploads_enabled:
        raise ReferenceImageRefused(reason="disabled")
    if size_bytes <= 0:
        raise ReferenceImageRefused(reason="empty")
    if size_bytes > settings.upload_max_bytes:
        raise ReferenceImageRefused(
            reason="too_large", max_mb=settings.upload_max_bytes // (1024 * 1024)
        )
