"""Message texts looked up by key, per language, with English as the fallback.

Texts live in ``<locales dir>/<lang>.toml`` as flat ``"key" = "text with {params}"``
pairs. Adding a language is adding a file; missing keys fall back to English.

The core's own files (``core/text/locales``) hold the keys the core uses: its errors and
the notices it sends. Each adapter keeps its platform's texts in its own locales folder
and lays it over the core's (``Messages.layered``), language by language.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from core.errors import CoreError

DEFAULT_LANGUAGE = "en"
LOCALES_DIR = Path(__file__).resolve().parent / "locales"


class _Missing(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


class Messages:
    def __init__(self, locales_dir: Path = LOCALES_DIR, *, layers: Sequence[Path] = ()) -> None:
        """``locales_dir`` (which must hold ``en.toml``), then each of ``layers`` over it:
        a key a later folder defines for a language replaces the earlier text."""
        self._dirs = (locales_dir, *layers)
        self._texts: dict[str, dict[str, str]] = {}
        for folder in self._dirs:
            for path in sorted(folder.glob("*.toml")):
                texts = _flatten(tomllib.loads(path.read_text(encoding="utf-8")))
                self._texts.setdefault(path.stem, {}).update(texts)
        if not (locales_dir / f"{DEFAULT_LANGUAGE}.toml").is_file():
            raise RuntimeError(f"no {DEFAULT_LANGUAGE}.toml in {locales_dir}")

    def layered(self, *dirs: Path) -> Messages:
        """This catalogue with the files of ``dirs`` laid over it (an adapter's own texts
        over the core's); a folder already laid is not laid again."""
        extra = [d for d in dirs if d not in self._dirs]
        return Messages(self._dirs[0], layers=[*self._dirs[1:], *extra]) if extra else self

    @property
    def languages(self) -> list[str]:
        return sorted(self._texts)

    def has(self, key: str) -> bool:
        return key in self._texts[DEFAULT_LANGUAGE]

    def lookup(self, key: str, language: str) -> str | None:
        """The raw text of ``key`` in exactly ``language`` (no English fallback), for
        platforms that localise their own command names and descriptions."""
        return self._texts.get(language, {}).get(key)

    def render(self, key: str, locale: str | None = None, **params: Any) -> str:
        lang = (locale or DEFAULT_LANGUAGE).split("-")[0].split("_")[0].lower()
        text = self._texts.get(lang, {}).get(key) or self._texts[DEFAULT_LANGUAGE].get(key)
        if text is None:
            return key
        return text.format_map(_Missing(params))

    def render_error(self, error: CoreError, locale: str | None = None) -> str:
        """The user's text for ``error``; InvalidOption picks ``<key>.<reason>`` first."""
        reason = error.params.get("reason")
        if isinstance(reason, str) and self.has(f"{error.key}.{reason}"):
            return self.render(f"{error.key}.{reason}", locale, **error.params)
        if not self.has(error.key) and self.has(f"{error.key}.default"):
            return self.render(f"{error.key}.default", locale, **error.params)
        return self.render(error.key, locale, **error.params)


def _flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in tree.items():
        full = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, full + "."))
        else:
            flat[full] = str(value)
    return flat
