"""Message texts looked up by key, per locale, through Project Fluent (``fluent.runtime``):
plural and other selectors use CLDR's rules, numbers and dates the locale's formats
(both from Babel, which Fluent builds on). No plural logic of our own.

Texts live in ``<locales dir>/<locale>.ftl`` (``en.ftl``, ``de.ftl``, ``pt-BR.ftl``...).
A key such as ``error.invalid_option.empty`` is the Fluent message
``error-invalid_option-empty``; parameters are Fluent variables (``{ $balance_credits }``).

Durations are said in words by the catalogue's Fluent function ``DURATION``
(``core.text.functions``: ``{ DURATION($retry_after_s, direction: "in") }`` → "in 40
seconds"); dates and times by Fluent's ``DATETIME`` on a datetime parameter.

A locale falls back along its chain: ``pt-BR`` → ``pt`` → ``en``; a key missing in a
translation is taken from the next locale of the chain.

The core's own files (``core/text/locales``) hold the keys the core uses: its errors and
the notices it sends. Each adapter keeps its platform's texts in its own locales folder
and lays it over the core's (``Messages.layered``), locale by locale.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from fluent.runtime import FluentBundle
from fluent.runtime.types import FluentNone
from fluent.syntax import FluentParser, ast
from fluent.syntax.visitor import Visitor

from core.errors import CoreError
from core.text.functions import FUNCTIONS, datetime_text, duration_text

DEFAULT_LANGUAGE = "en"
LOCALES_DIR = Path(__file__).resolve().parent / "locales"
# Parameters that are numbers but name something (a seed, an id): shown as they are, never
# with the locale's digit grouping ("4294967295", not "4,294,967,295").
IDENTIFIER_PARAMS = frozenset({"seed", "port", "position_id"})

log = logging.getLogger("seedream.text")


def message_id(key: str) -> str:
    """The Fluent message id of a dotted catalogue key."""
    return key.replace(".", "-")


def catalogue_key(message: str) -> str:
    """The dotted catalogue key of a Fluent message id."""
    return message.replace("-", ".")


def normalise_locale(locale: str | None) -> str:
    """``pt_br``, ``pt-br`` and ``pt-BR`` → ``pt-BR``; ``EN`` → ``en``; empty → ``en``."""
    if not locale or not locale.strip():
        return DEFAULT_LANGUAGE
    parts = locale.strip().replace("_", "-").split("-")
    language = parts[0].lower()
    region = [p.upper() if len(p) == 2 else p.title() for p in parts[1:2]]
    return "-".join([language, *region])


def locale_chain(locale: str | None) -> list[str]:
    """The locales to look a key up in, most specific first, ending in English."""
    chain = [normalise_locale(locale)]
    language = chain[0].split("-")[0]
    for fallback in (language, DEFAULT_LANGUAGE):
        if fallback not in chain:
            chain.append(fallback)
    return chain


MAX_STORED_LOCALE_CHARS = 16  # jobs.locale, checkout_sessions.locale, accounts.language


def effective_locale(preferred: str | None, platform: str | None) -> str | None:
    """The locale a user is answered in: the language chosen in ``/settings`` wins over
    the platform's (Discord's interaction locale, Telegram's ``language_code``); None when
    neither says (English). Normalised, and short enough to store."""
    chosen = preferred or platform
    if not chosen or not chosen.strip():
        return None
    return normalise_locale(chosen)[:MAX_STORED_LOCALE_CHARS]


def parse_ftl(text: str, source: str) -> ast.Resource:
    """A Fluent resource, refusing any entry Fluent cannot parse.

    Raises:
        RuntimeError: a syntax error, naming ``source`` and the first bad lines.
    """
    resource = FluentParser().parse(text)
    junk = [entry for entry in resource.body if isinstance(entry, ast.Junk)]
    if junk:
        first = (junk[0].content or "").strip().splitlines()[0][:80]
        raise RuntimeError(f"{source}: {len(junk)} entry(ies) Fluent cannot parse: {first!r}")
    return resource


class _Variables(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def visit_VariableReference(self, node: ast.VariableReference) -> None:
        self.names.add(node.id.name)


def variables_of(message: ast.Message) -> frozenset[str]:
    """The ``$variables`` a message uses, in its value and selectors."""
    found = _Variables()
    found.visit(message)
    return frozenset(found.names)


def _fluent_args(params: dict[str, Any]) -> dict[str, Any]:
    args: dict[str, Any] = {}
    for name, value in params.items():
        if isinstance(value, bool) or value is None:
            args[name] = "" if value is None else str(value).lower()
        elif isinstance(value, int) and (name in IDENTIFIER_PARAMS or name.endswith("_id")):
            args[name] = str(value)
        elif isinstance(value, int | float | Decimal | date | datetime | str):
            args[name] = value
        else:
            args[name] = str(value)
    return args


def _babel_locale(locale: str | None) -> str:
    return normalise_locale(locale).replace("-", "_")


class Messages:
    def __init__(self, locales_dir: Path = LOCALES_DIR, *, layers: Sequence[Path] = ()) -> None:
        """``locales_dir`` (which must hold ``en.ftl``), then each of ``layers`` over it:
        a key a later folder defines for a locale replaces the earlier text."""
        self._dirs = (locales_dir, *layers)
        if not (locales_dir / f"{DEFAULT_LANGUAGE}.ftl").is_file():
            raise RuntimeError(f"no {DEFAULT_LANGUAGE}.ftl in {locales_dir}")
        self._bundles: dict[str, FluentBundle] = {}
        self._keys: dict[str, set[str]] = {}
        self._variables: dict[tuple[str, str], frozenset[str]] = {}
        for folder in self._dirs:
            for path in sorted(folder.glob("*.ftl")):
                locale = normalise_locale(path.stem)
                resource = parse_ftl(path.read_text(encoding="utf-8"), path.name)
                bundle = self._bundles.get(locale)
                if bundle is None:
                    bundle = self._bundles[locale] = FluentBundle(
                        [locale], functions=FUNCTIONS, use_isolating=False
                    )
                bundle.add_resource(resource, allow_overrides=True)
                for entry in resource.body:
                    if isinstance(entry, ast.Message):
                        key = catalogue_key(entry.id.name)
                        self._keys.setdefault(locale, set()).add(key)
                        self._variables[locale, key] = variables_of(entry)

    def layered(self, *dirs: Path) -> Messages:
        """This catalogue with the files of ``dirs`` laid over it (an adapter's own texts
        over the core's); a folder already laid is not laid again."""
        extra = [d for d in dirs if d not in self._dirs]
        return Messages(self._dirs[0], layers=[*self._dirs[1:], *extra]) if extra else self

    @property
    def languages(self) -> list[str]:
        """The locales with a file (``de``, ``en``, ``pt-BR``...)."""
        return sorted(self._bundles)

    def keys(self, locale: str = DEFAULT_LANGUAGE) -> set[str]:
        """The keys ``locale``'s own files define (no fallback)."""
        return set(self._keys.get(normalise_locale(locale), set()))

    def variables(self, key: str, locale: str = DEFAULT_LANGUAGE) -> frozenset[str]:
        """The parameters ``key`` uses in ``locale``'s own text (tests compare them)."""
        return self._variables.get((normalise_locale(locale), key), frozenset())

    @staticmethod
    def duration(seconds: float, locale: str | None, *, direction: str = "none") -> str:
        """``seconds`` in words in ``locale`` ("1 hour"; "in 1 hour" with
        ``direction="in"``), for code that shows a duration outside a message; messages
        use ``DURATION`` in their text instead."""
        return duration_text(seconds, _babel_locale(locale), direction=direction)

    @staticmethod
    def datetime(at: datetime, locale: str | None) -> str:
        """``at`` in ``locale``'s short date and time (as given, UTC from the core)."""
        return datetime_text(at, _babel_locale(locale))

    def has(self, key: str) -> bool:
        return key in self._keys[DEFAULT_LANGUAGE]

    def lookup(self, key: str, language: str, **params: Any) -> str | None:
        """``key`` in exactly ``language`` (no fallback), for platforms that localise
        their own command names and descriptions; None where that locale lacks it."""
        locale = normalise_locale(language)
        if key not in self._keys.get(locale, set()):
            return None
        return self._format(locale, key, params)[0]

    def render(self, key: str, locale: str | None = None, **params: Any) -> str:
        """``key`` in the first locale of ``locale``'s chain that has it; the key itself
        when none has (a bug, never a crash)."""
        for candidate in self.chain(locale):
            if key in self._keys.get(candidate, ()):
                text, errors = self._format(candidate, key, params)
                if errors:  # a missing parameter: logged by key only, never by value
                    log.warning("message %s rendered with %d error(s)", key, len(errors))
                return text
        return key

    def chain(self, locale: str | None) -> list[str]:
        """``locale_chain``, where a bare language with no file of its own (Telegram's
        ``pt``) is read as its one regional file (``pt-BR``) before English."""
        chain = locale_chain(locale)
        language = chain[0].split("-")[0]
        if language not in self._bundles:
            regional = [loc for loc in self._bundles if loc.split("-")[0] == language]
            if len(regional) == 1 and regional[0] not in chain:
                chain.insert(chain.index(DEFAULT_LANGUAGE), regional[0])
        return chain

    def render_checked(self, key: str, locale: str, **params: Any) -> tuple[str, list[Exception]]:
        """``key`` in exactly ``locale`` with the errors Fluent reported (tests)."""
        return self._format(normalise_locale(locale), key, params)

    def _format(self, locale: str, key: str, params: dict[str, Any]) -> tuple[str, list]:
        bundle = self._bundles[locale]
        message = bundle.get_message(message_id(key))
        if message.value is None:
            return key, []
        args = _fluent_args(params)
        missing = self._variables.get((locale, key), frozenset()) - args.keys()
        for name in missing:  # shown as "{name}", the way a bug is spotted in a reply
            args[name] = FluentNone("{" + name + "}")
        text, errors = bundle.format_pattern(message.value, args)
        if missing:
            errors = [*errors, KeyError(", ".join(sorted(missing)))]
        return str(text), list(errors)

    def render_error(self, error: CoreError, locale: str | None = None) -> str:
        """The user's text for ``error``; InvalidOption picks ``<key>.<reason>`` first."""
        reason = error.params.get("reason")
        if isinstance(reason, str) and self.has(f"{error.key}.{reason}"):
            return self.render(f"{error.key}.{reason}", locale, **error.params)
        if not self.has(error.key) and self.has(f"{error.key}.default"):
            return self.render(f"{error.key}.default", locale, **error.params)
        return self.render(error.key, locale, **error.params)
