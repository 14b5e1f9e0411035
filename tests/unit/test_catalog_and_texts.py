"""The shipped catalogue and message catalogue are complete and consistent."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from core import errors
from core.catalog import CatalogError, load_catalog
from core.text.catalogue import Messages

ROOT = Path(__file__).resolve().parents[2]


def test_shipped_catalogue_loads():
    catalog = load_catalog()
    assert catalog.welcome_grant_credits > 0
    assert catalog.default_model_id in catalog.models
    assert "free" in catalog.plans
    assert all(p.credits > 0 and p.price_cents > 0 for p in catalog.packs.values())


@pytest.mark.parametrize(
    ("body", "complaint"),
    [
        ("", "at least one"),
        (
            '[[models]]\nid="a"\nlabel="A"\nroutes=["local"]\ncost_credits=1\naspect_ratios=["1:1"]',
            "routes",
        ),
        (
            '[[models]]\nid="a"\nlabel="A"\nroutes=["local:x"]\ncost_credits=1\n'
            'aspect_ratios=["1:99"]',
            "aspect",
        ),
        (
            '[[models]]\nid="a"\nlabel="A"\nroutes=["local:x"]\ncost_credits=-1\n'
            'aspect_ratios=["1:1"]',
            "cost_credits",
        ),
        ("not toml [", "Expected"),
    ],
)
def test_bad_catalogue_is_reported_with_the_file(tmp_path, body, complaint):
    path = tmp_path / "catalog.toml"
    path.write_text(body)
    with pytest.raises(CatalogError) as err:
        load_catalog(path)
    assert str(path) in str(err.value) and complaint in str(err.value)


_MODEL = '[[models]]\nid="a"\nlabel="A"\ncost_credits=1\naspect_ratios=["1:1"]\n'


def test_shipped_catalogue_offers_variations_on_the_offline_preview_only_where_able():
    catalog = load_catalog()
    assert catalog.models["preview"].variations is True
    assert catalog.models["flux-schnell"].variations is False


@pytest.mark.parametrize(
    ("routes", "able"),
    [
        ('["local:preview"]', True),
        ('["ark:seedream-4-5-251128", "local:preview"]', True),
        ('["ark:seedream-4-5-251128", "fal:fal-ai/flux/schnell"]', False),
        ('["ark:seedream-3-0-t2i-250415"]', False),  # 3.0 text-to-image takes no image
        ('["openai:gpt-image-2"]', True),  # image edits
        ('["openrouter:black-forest-labs/flux.2-pro"]', False),  # no limit we know of: none
    ],
)
def test_variations_need_every_route_to_take_a_source_image(tmp_path, routes, able):
    path = tmp_path / "catalog.toml"
    path.write_text(f"{_MODEL}routes={routes}\nvariations=true\n")
    if able:
        assert load_catalog(path).models["a"].variations is True
        return
    with pytest.raises(CatalogError) as err:
        load_catalog(path)
    assert "variations need every route to take a source image" in str(err.value)
    path.write_text(f"{_MODEL}routes={routes}\n")  # without the flag it is fine
    assert load_catalog(path).models["a"].variations is False


def test_every_error_has_an_english_text():
    messages = Messages()
    for _, cls in inspect.getmembers(errors, inspect.isclass):
        if issubclass(cls, errors.CoreError):
            assert messages.has(cls.key) or messages.has(f"{cls.key}.default"), cls.key


def test_invalid_option_reasons_have_texts():
    messages = Messages()
    reasons = set(re.findall(r'reason="([a-z_]+)"', (ROOT / "core/jobs/requests.py").read_text()))
    for module in ("core/facade.py", "core/accounts/preferences.py"):
        reasons |= set(re.findall(r'reason="([a-z_]+)"', (ROOT / module).read_text()))
    assert {"empty", "too_long", "unknown_option"} <= reasons
    for reason in reasons:
        assert messages.has(f"error.invalid_option.{reason}"), reason


def test_missing_parameters_do_not_crash_rendering():
    assert Messages().render("error.insufficient_credits").count("{") == 2


def test_shipped_catalogue_says_what_each_model_outputs():
    """Issue 14, defect 7: OpenRouter is asked for exactly these modalities."""
    models = load_catalog().models
    assert models["gpt-image"].output_modalities == ("image",)  # image-only
    assert models["seedream"].output_modalities == ("image",)
    assert models["flux-schnell"].output_modalities == ("image",)
    assert models["gemini-image"].output_modalities == ("image", "text")


@pytest.mark.parametrize("modalities", ['["text"]', '["image", "audio"]', "[]"])
def test_output_modalities_must_include_image_and_be_known(tmp_path, modalities):
    path = tmp_path / "catalog.toml"
    path.write_text(f'{_MODEL}routes=["local:x"]\noutput_modalities={modalities}\n')
    with pytest.raises(CatalogError) as err:
        load_catalog(path)
    assert "output_modalities" in str(err.value)
