"""/link codes: the alphabet, the shape, and what a typed code is normalised to."""

from __future__ import annotations

import re

from core.accounts.linking import CODE_ALPHABET, code_hash, new_code, normalise, well_formed


def test_the_alphabet_has_no_look_alikes():
    assert not set("0O1IL") & set(CODE_ALPHABET)
    assert len(set(CODE_ALPHABET)) == len(CODE_ALPHABET) == 31


def test_a_new_code_is_eight_characters_shown_with_a_dash():
    codes = {new_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", c) for c in codes)
    assert all(well_formed(c) for c in codes)


def test_typing_is_forgiving_but_the_code_is_not_guessable():
    assert normalise(" k7qm 3tzp ") == normalise("K7QM-3TZP") == "K7QM3TZP"
    assert code_hash("k7qm3tzp") == code_hash("K7QM-3TZP")
    assert len(code_hash("K7QM-3TZP")) == 64 and "K7QM" not in code_hash("K7QM-3TZP")
    for bad in ("", "K7QM-3TZ", "K7QM-3TZPX", "K0QM-3TZP", "K7QM-3TZ!", "L7QM-3TZP"):
        assert not well_formed(bad), bad
