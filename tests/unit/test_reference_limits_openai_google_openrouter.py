"""How many reference images the OpenAI, Gemini and OpenRouter routes take, and what the
shipped catalogue offers from that. Each limit is its service's documented one (sources
in core/providers/capabilities.py)."""

from __future__ import annotations

import pytest

from core.catalog import CatalogError, load_catalog
from core.providers.capabilities import max_reference_images, route_max_reference_images


@pytest.mark.parametrize(
    ("provider", "model", "limit"),
    [
        ("openai", "gpt-image-2", 16),  # image edits: up to 16 (openai-python)
        ("openai", "gpt-image-1.5", 16),
        ("openai", "dall-e-3", 0),  # never had edits; shut down
        ("google", "gemini-3.1-flash-image", 14),  # Google's model pages
        ("google", "models/gemini-3-pro-image", 14),
        ("google", "gemini-2.5-flash-image", 3),
        ("google", "gemini-9-image", 0),  # unknown: none
        ("openrouter", "openai/gpt-image-2", 16),  # as the upstream service
        ("openrouter", "google/gemini-3.1-flash-image", 14),
        ("openrouter", "bytedance-seed/seedream-4.5", 14),
        ("openrouter", "black-forest-labs/flux.2-pro", 0),  # no known limit: none
    ],
)
def test_each_route_takes_its_service_s_documented_limit(provider, model, limit):
    assert max_reference_images(provider, model) == limit
    assert route_max_reference_images(f"{provider}:{model}") == limit


def test_shipped_gpt_image_and_gemini_take_references_and_offer_variations():
    models = load_catalog().models
    assert (models["gpt-image"].max_reference_images, models["gpt-image"].variations) == (16, True)
    gemini = models["gemini-image"]
    assert (gemini.max_reference_images, gemini.variations) == (14, True)
    # the smallest of the model's routes, so every route can serve every request
    for spec in (models["gpt-image"], gemini):
        limits = [spec.route_reference_limit(route) for route in spec.routes]
        assert spec.max_reference_images == min(limits)


_MODEL = '[[models]]\nid="a"\nlabel="A"\ncost_credits=1\naspect_ratios=["1:1"]\n'


@pytest.mark.parametrize(
    ("routes", "allowed"),
    [
        ('["openai:gpt-image-2", "openrouter:openai/gpt-image-2"]', 16),
        ('["google:gemini-3.1-flash-image", "openrouter:openai/gpt-image-2"]', 14),
        ('["openrouter:google/gemini-2.5-flash-image", "local:preview"]', 3),
    ],
)
def test_a_model_may_not_take_more_than_its_smallest_route(tmp_path, routes, allowed):
    path = tmp_path / "catalog.toml"
    path.write_text(f"{_MODEL}routes={routes}\nmax_reference_images={allowed}\n")
    assert load_catalog(path).models["a"].max_reference_images == allowed
    path.write_text(f"{_MODEL}routes={routes}\nmax_reference_images={allowed + 1}\n")
    with pytest.raises(CatalogError, match="takes at most"):
        load_catalog(path)
