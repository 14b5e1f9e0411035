"""The /settings values checked without the database: an aspect ratio the default model
offers, a language the deployment has."""

from __future__ import annotations

from collections.abc import Sequence

from core.catalog import ModelSpec
from core.errors import InvalidOption
from core.text.catalogue import normalise_locale


def checked_aspect(model: ModelSpec, aspect_ratio: str) -> str:
    """``aspect_ratio`` as stored (``16x9`` is ``16:9``).

    Raises:
        InvalidOption: ``model`` does not offer it (field ``aspect``).
    """
    aspect = aspect_ratio.strip().replace("x", ":")
    if aspect not in model.aspect_ratios:
        raise InvalidOption(
            field="aspect",
            reason="not_allowed",
            value=aspect[:16],
            allowed=", ".join(model.aspect_ratios),
        )
    return aspect


def checked_language(language: str, languages: Sequence[str]) -> str:
    """``language`` as stored: the locale of one of ``languages`` (the locales with a
    file), whatever its spelling (``pt-br``, ``pt_BR`` and ``PT-BR`` are ``pt-BR``).

    Raises:
        InvalidOption: not one of ``languages`` (field ``language``).
    """
    wanted = normalise_locale(language) if language.strip() else None
    for offered in languages:
        if normalise_locale(offered) == wanted:
            return normalise_locale(offered)
    raise InvalidOption(
        field="language",
        reason="not_allowed_language",
        value=language.strip()[:16],
        allowed=", ".join(languages),
    )
