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
        ('["replicate:bytedance/seedream-4.5", "local:preview"]', True),
        ('["replicate:black-forest-labs/flux-schnell"]', False),
        (
            '[{route = "fal:fal-ai/bytedance/seedream/v4/text-to-image", '
            'edit_model = "fal-ai/bytedance/seedream/v4/edit"}]',
            True,
        ),
        ('["fal:fal-ai/bytedance/seedream/v4/text-to-image"]', False),  # no edit model
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


def test_shipped_seedream_takes_reference_images_on_every_route_and_offers_variations():
    """Issue 16: the smallest documented limit of its routes (fal's Seedream /edit: 10;
    Ark and Replicate's Seedream 4.5: 14); fal with references calls its edit endpoint."""
    seedream = load_catalog().models["seedream"]
    assert seedream.variations is True
    limits = {r.split(":", 1)[0]: seedream.route_reference_limit(r) for r in seedream.routes}
    assert {k: v for k, v in limits.items() if k != "openrouter"} == {
        "ark": 14,
        "fal": 10,
        "replicate": 14,
    }
    assert limits["openrouter"] >= 10  # its lane owns the value; it must not be lower
    assert seedream.max_reference_images == min(limits.values()) == 10
    fal = "fal:fal-ai/bytedance/seedream/v4.5/text-to-image"
    assert seedream.provider_model(fal) == "fal-ai/bytedance/seedream/v4.5/text-to-image"
    assert seedream.provider_model(fal, with_references=True) == (
        "fal-ai/bytedance/seedream/v4.5/edit"
    )


@pytest.mark.parametrize(
    ("routes", "wanted", "complaint"),
    [
        (
            '["ark:seedream-4-5-251128", {route = "fal:fal-ai/bytedance/seedream/v4.5/'
            'text-to-image", edit_model = "fal-ai/bytedance/seedream/v4.5/edit"}]',
            11,
            "max_reference_images is 11 but route "
            "fal:fal-ai/bytedance/seedream/v4.5/text-to-image takes at most 10",
        ),
        (  # fal's text-to-image endpoint without its edit model takes no image
            '["fal:fal-ai/bytedance/seedream/v4.5/text-to-image"]',
            1,
            "takes at most 0",
        ),
        ('["replicate:bytedance/seedream-4"]', 11, "takes at most 10"),
        ('["ark:seedream-4-5-251128"]', 15, "takes at most 14"),
        ('["local:preview", "replicate:black-forest-labs/flux-schnell"]', 1, "at most 0"),
    ],
)
def test_a_model_asking_more_references_than_a_route_takes_is_refused(
    tmp_path, routes, wanted, complaint
):
    path = tmp_path / "catalog.toml"
    path.write_text(f"{_MODEL}routes={routes}\nmax_reference_images={wanted}\n")
    with pytest.raises(CatalogError) as err:
        load_catalog(path)
    assert complaint in str(err.value) and "model 'a'" in str(err.value)
    path.write_text(f"{_MODEL}routes={routes}\nmax_reference_images={wanted - 1}\n")
    assert load_catalog(path).models["a"].max_reference_images == wanted - 1


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
