"""Which routes honour a seed, what /models says about it, and which seed a result
reports (core.providers.capabilities, adapters.common.wording.model_line)."""

from __future__ import annotations

import pytest

from adapters.common.catalogue import LOCALES_DIR as COMMON_LOCALES
from adapters.common.wording import model_line
from core.catalog import load_catalog
from core.providers.capabilities import route_honours_seed, seed_used
from core.text.catalogue import Messages


@pytest.mark.parametrize(
    ("route", "honoured"),
    [
        ("fal:fal-ai/bytedance/seedream/v4.5/text-to-image", True),
        ("fal:fal-ai/flux/schnell", True),
        ("fireworks:flux-1-schnell-fp8", True),
        ("replicate:black-forest-labs/flux-schnell", True),
        ("replicate:bytedance/seedream-3", True),
        ("replicate:bytedance/seedream-4.5", False),
        ("replicate:bytedance/seedream-4.5:0123abcd", False),
        ("ark:seedream-3-0-t2i-250415", True),
        ("ark:seedream-4-5-251128", False),
        ("openai:gpt-image-2", False),
        ("google:gemini-3.1-flash-image", False),
        ("openrouter:bytedance-seed/seedream-4.5", False),
        ("local:preview", True),
    ],
)
def test_which_routes_honour_a_seed(route, honoured):
    assert route_honours_seed(route) is honoured


def test_the_reported_seed():
    assert seed_used("fal:fal-ai/flux/schnell", None, 42) == 42  # what fal drew with
    assert seed_used("fal:fal-ai/flux/schnell", 7, 7) == 7
    assert seed_used("replicate:black-forest-labs/flux-schnell", 7, None) == 7
    assert seed_used("ark:seedream-4-5-251128", 7, None) is None  # ignored: not claimed


def test_models_says_when_a_seed_is_not_honoured_everywhere():
    messages, catalog = Messages().layered(COMMON_LOCALES), load_catalog()

    def t(key: str, **params) -> str:
        return messages.render(key, "en", **params)

    lines = {m.id: model_line(t, m) for m in catalog.models.values()}
    assert "seed: not on all routes" in lines["seedream"]  # fal only of its four routes
    assert "seed" not in lines["flux-schnell"]  # every route takes it
    assert "seed" not in lines["gpt-image"]  # no seed offered at all
    assert "seed" not in lines["gemini-image"]
