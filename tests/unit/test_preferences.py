"""/settings values checked without the database (core.accounts.preferences)."""

from __future__ import annotations

import pytest

from core import InvalidOption, ModelSpec
from core.accounts.preferences import checked_aspect, checked_language
from core.text.catalogue import effective_locale

MODEL = ModelSpec(
    id="m",
    label="M",
    routes=("local:m",),
    cost_credits=1,
    aspect_ratios=("1:1", "16:9"),
    default_aspect="1:1",
    max_images=4,
)


@pytest.mark.parametrize(("given", "stored"), [("16:9", "16:9"), (" 16x9 ", "16:9")])
def test_an_offered_aspect_is_stored_with_a_colon(given: str, stored: str) -> None:
    assert checked_aspect(MODEL, given) == stored


def test_an_aspect_the_model_lacks_is_refused_with_what_it_offers() -> None:
    with pytest.raises(InvalidOption) as refused:
        checked_aspect(MODEL, "9:16")
    assert refused.value.params["field"] == "aspect"
    assert refused.value.params["allowed"] == "1:1, 16:9"


def test_a_language_is_stored_in_lower_case_and_only_when_available() -> None:
    assert checked_language(" DE ", ("en", "de")) == "de"
    with pytest.raises(InvalidOption) as refused:
        checked_language("fr", ("en", "de"))
    assert refused.value.params["reason"] == "not_allowed_language"


def test_brazilian_portuguese_is_accepted_in_every_spelling() -> None:
    offered = ("de", "en", "es", "pt-BR", "ru")
    for spelling in ("pt-BR", "pt-br", "pt_BR", " PT_br "):
        assert checked_language(spelling, offered) == "pt-BR"
    for other in ("pt", "pt-PT", "fr", ""):
        with pytest.raises(InvalidOption):
            checked_language(other, offered)


def test_the_chosen_language_wins_over_the_platforms() -> None:
    assert effective_locale("pt-BR", "en-US") == "pt-BR"
    assert effective_locale(None, "pt-br") == "pt-BR"
    assert effective_locale(None, None) is None
    assert effective_locale(None, "x" * 40) == "x" * 16  # fits jobs.locale
