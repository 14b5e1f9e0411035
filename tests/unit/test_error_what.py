"""``error.not_found`` and ``error.not_owner`` name the missing thing in the user's
language: code passes a kind (``ItemKind``), never English words, and every launch locale
words every kind (not its catch-all)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from core import ItemKind, NotFound, NotOwner
from core.text.catalogue import Messages

ROOT = Path(__file__).resolve().parents[2]
LAUNCH_LOCALES = ("en", "es", "pt-BR", "ru", "de")
RAISED_WITH_WHAT = frozenset({"NotFound", "NotOwner"})


def what_arguments(source: str) -> list[ast.expr]:
    """The ``what=`` of every NotFound(...) / NotOwner(...) call in ``source``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name in RAISED_WITH_WHAT:
                found.extend(k.value for k in node.keywords if k.arg == "what")
    return found


def words_passed(root: Path) -> list[str]:
    """Each call site passing a literal (words) rather than an ``ItemKind`` member."""
    bad = []
    for path in sorted(root.rglob("*.py")):
        for value in what_arguments(path.read_text("utf-8")):
            is_kind = isinstance(value, ast.Attribute) and getattr(value.value, "id", "") == (
                "ItemKind"
            )
            if not is_kind:
                bad.append(f"{path.relative_to(ROOT)}:{value.lineno}: {ast.unparse(value)}")
    return bad


def test_code_passes_a_kind_never_words():
    assert [bad for top in ("core", "adapters", "bot") for bad in words_passed(ROOT / top)] == []


def test_the_scan_catches_english_words():
    source = 'raise NotFound(what="queued job")\nraise NotOwner(what=ItemKind.IMAGE)\n'
    assert [ast.unparse(v) for v in what_arguments(source)] == ["'queued job'", "ItemKind.IMAGE"]


# What a user can own and try to delete; anything else is "that is not yours".
OWNED = (ItemKind.IMAGE, ItemKind.JOB, ItemKind.QUEUED_JOB)


@pytest.mark.parametrize("locale", LAUNCH_LOCALES)
@pytest.mark.parametrize(("error", "kinds"), [(NotFound, tuple(ItemKind)), (NotOwner, OWNED)])
def test_every_locale_words_every_kind(error, kinds, locale):
    messages = Messages(ROOT / "core/text/locales")
    catch_all = messages.render(error.key, locale, what="zz_unknown")
    assert "zz_unknown" not in catch_all  # a kind is a key, never shown
    for kind in kinds:
        text = messages.render_error(error(what=kind), locale)
        assert text != catch_all and "_" not in text, (kind, text)
