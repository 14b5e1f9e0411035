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
        ("a --seed seven", "seed", "seed_range"),
        ("a --n two", "count", "not_a_number"),
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


# -- issue 17, rough edges 3 to 5: each message states the real rule --------------------

from core.errors import ModelUnavailable  # noqa: E402
from core.text.catalogue import Messages  # noqa: E402


def _refusal(text: str, **kwargs) -> str:
    with pytest.raises((InvalidOption, UnknownModel, ModelUnavailable)) as err:
        resolve_request(parse_imagine_text(text), CATALOG, **{**PREVIEW, **kwargs})
    rendered = Messages().render_error(err.value, "en")
    assert "{" not in rendered, rendered  # no placeholder left behind
    return rendered


def test_a_long_negative_prompt_is_named_with_its_limit():
    rendered = _refusal("cat --no " + "x" * 5000)
    assert "negative prompt" in rendered and "5,000" in rendered and "1,000" in rendered


@pytest.mark.parametrize("seed", ["-1", "4294967296", "seven"])
def test_a_seed_out_of_range_states_the_range(seed):
    rendered = _refusal(f"cat --seed {seed}")
    assert "from 0 to 4,294,967,295" in rendered and seed in rendered


def test_seed_zero_is_a_seed():  # the README: 0 to 2**32-1
    request = parse_imagine_text("cat --seed 0")
    assert request.seed == 0


@pytest.mark.parametrize("count", ["-3", "0", "9"])
def test_a_count_out_of_range_states_the_models_range(count):
    max_images = CATALOG.model("preview").max_images
    rendered = _refusal(f"cat --n {count}")
    assert f"from 1 to {max_images}" in rendered and count in rendered


def test_one_list_of_models_and_unserved_ones_are_not_available_here():
    served = {"preview"}
    only_served = {"servable": lambda m: m.id in served}
    unknown = _refusal("cat --model nope", **only_served)
    assert unknown.endswith("Available models: preview."), unknown
    other = next(m for m in CATALOG.models if m not in served)
    unserved = _refusal(f"cat --model {other}", **only_served)
    assert "not available on this bot" in unserved, unserved
    assert unserved.endswith("Available models: preview."), unserved
