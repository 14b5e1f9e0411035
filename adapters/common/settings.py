"""/settings: the effective defaults (``Core.effective_settings``, the one rule for a
stale preference) and the on/off switches, worded once for every chat."""

from __future__ import annotations

from typing import Any

from adapters.common.wording import Translate
from core import EffectiveSettings


def on_off(t: Translate, flag: bool) -> str:
    return t("settings.on" if flag else "settings.off")


def settings_text(
    t: Translate, key: str, settings: EffectiveSettings, **switches: bool | Any
) -> str:
    """``key`` (each platform lists what it can change) with the model, aspect and
    language filled in; each of ``switches`` given as a bool is worded on or off."""
    params = {k: on_off(t, v) if isinstance(v, bool) else v for k, v in switches.items()}
    return t(
        key,
        model=settings.model_id,
        aspect=settings.aspect_ratio,
        language=settings.language,
        **params,
    )
