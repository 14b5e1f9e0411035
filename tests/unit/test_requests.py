"""Request parsing and validation: pure functions, no I/O."""

from __future__ import annotations

import pytest

from core.catalog import load_catalog, size_for_aspect
from core.errors import InvalidOption, UnknownModel
from core.jobs.requests import PROMPT_MAX_CHARS, clean_text, parse_imagine_text, resolve_request
from core.types import ImagineRequest

CATALOG = load_catalog()
PREVIEW = {"fallback_model": "preview"}  # the default without any provider key


def test_options_are_parsed_from_the_text():
    req = parse_imagine_text("a red fox --ar 16:9 --seed 7 --no text, blur --n 2 --model Preview")
    assert req.prompt == "a red fox"
    assert (req.aspect_ratio, req.seed, req.image_count, req.model_id) == ("16:9", 7, 2, "Preview")
    assert req.negative_prompt == "text, blur"
    assert req.enhance is False


def test_em_dash_from_phones_works_and_enhance_is_a_flag():
    req = parse_imagine_text("a fox \u2014ar 3:2 --enhance")
    assert req.aspect_ratio == "3:2" and req.enhance is True and req.prompt == "a fox"


@pytest.mark.parametrize(
    ("text", "field", "reason"),
    [
        ("a --style raw", "option", "unknown_option"),
        ("a --ar", "aspect", "missing_value"),
        ("a --seed --n 2", "seed", "missing_value"),
        ("a --no", "negative", "missing_value"),
        ("a --seed seven", "seed", "not_a_number"),
        ("a --n -1", "count", "not_a_number"),
    ],
)
def test_malformed_options(text, field, reason):
    with pytest.raises(InvalidOption) as err:
        parse_imagine_text(text)
    assert (err.value.field, err.value.reason) == (field, reason)


def test_control_characters_are_removed_and_spaces_collapsed():
    assert clean_text("a\x00 red\tfox\n\nin\u202e snow\x1b ") == "a red fox in snow"


def test_defaults_come_from_preferences_then_model():
    r = resolve_request(ImagineRequest("a fox"), CATALOG, **PREVIEW)
    assert (r.model.id, r.aspect_ratio, r.image_count, r.cost_credits) == ("preview", "1:1", 1, 1)
    r = resolve_request(ImagineRequest("a fox"), CATALOG, default_aspect="9:16", **PREVIEW)
    assert r.aspect_ratio == "9:16" and (r.width_px, r.height_px) == size_for_aspect("9:16", 1024)
    # A stale preference (model removed from the catalogue) falls back quietly.
    assert (
        resolve_request(ImagineRequest("a"), CATALOG, default_model="gone", **PREVIEW).model.id
        == "preview"
    )


def test_prompt_limits():
    ok = resolve_request(ImagineRequest("x" * PROMPT_MAX_CHARS), CATALOG, **PREVIEW)
    assert len(ok.prompt) == PROMPT_MAX_CHARS
    with pytest.raises(InvalidOption) as err:
        resolve_request(ImagineRequest("x" * (PROMPT_MAX_CHARS + 1)), CATALOG)
    assert err.value.params["length"] == PROMPT_MAX_CHARS + 1
    with pytest.raises(InvalidOption):
        resolve_request(ImagineRequest(" \x00 "), CATALOG)


def test_unknown_model_lists_the_available_ones():
    with pytest.raises(UnknownModel) as err:
        resolve_request(ImagineRequest("a", model_id="dall-e-2"), CATALOG)
    assert "preview" in err.value.params["available"]


@pytest.mark.parametrize(
    ("aspect", "size"),
    [("1:1", (1024, 1024)), ("16:9", (1344, 768)), ("9:16", (768, 1344)), ("21:9", (1536, 640))],
)
def test_sizes_keep_pixel_count_and_multiples_of_64(aspect, size):
    assert size_for_aspect(aspect, 1024) == size
    assert all(side % 64 == 0 for side in size)


def test_settings_text():
    from core.jobs.requests import parse_settings_text

    assert parse_settings_text("--model preview --ar 16:9 --lang en") == {
        "model_id": "preview",
        "aspect_ratio": "16:9",
        "language": "en",
    }
    for bad, reason in (
        ("--colour red", "unknown_setting"),
        ("--ar", "missing_value"),
        ("--ar --lang en", "missing_value"),
    ):
        with pytest.raises(InvalidOption) as err:
            parse_settings_text(bad)
        assert err.value.reason == reason


def test_clean_text_takes_the_same_view_of_plain_and_odd_text():
    # Printable ASCII takes a short cut; it must agree with the character-by-character way.
    assert clean_text("  a  red fox ") == "a red fox"
    assert clean_text("a\x0b red\x0cfox\x7f") == "a redfox"
    assert clean_text("a\x1f\u00a0fox") == "a fox"
