"""What each catalogue route can do, as plain string rules kept beside the provider
modules that implement them, so the catalogue can check a file without building any
provider: how many reference images a route takes (one at least is the condition for a
model to offer variations), and which routes honour a seed."""

from __future__ import annotations

from core.providers.ark import ark_reference_limit, is_v3_model
from core.providers.fal import fal_reference_limit

# Replicate models whose published input schema has no ``seed`` (providers.md §2; the
# replicate.com API pages of bytedance/seedream-4 and -4.5). Other models get one.
_REPLICATE_WITHOUT_SEED = ("bytedance/seedream-4", "bytedance/seedream-4.5")


LOCAL_MAX_REFERENCE_IMAGES = 16
# Replicate models with ``image_input`` and their schema's limit (the model API pages:
# "List of 1-10 images" for bytedance/seedream-4, "1-14" for bytedance/seedream-4.5).
REPLICATE_MAX_REFERENCE_IMAGES = {"bytedance/seedream-4": 10, "bytedance/seedream-4.5": 14}
# Provisional (the OpenRouter module's lane owns the final rule): OpenRouter lists image
# input for Seedream 4.5 (``architecture.input_modalities`` ["text", "image"]) without a
# count of its own; its upstream, ByteDance's API, takes up to 14.
OPENROUTER_SEEDREAM_MAX_REFERENCE_IMAGES = 14


def max_reference_images(provider: str, model: str) -> int:
    """How many ``GenerationSpec.reference_images`` ``provider``'s module sends for
    ``model`` (its service's documented limit; 0: none). ``model`` is the id the route
    calls with references: for fal, the route's edit model.

    - local: the offline preview draws from up to 16;
    - ark: Seedream 4.x/5.x ``image`` up to 14, SeedEdit 3.0 one, the 3.0 t2i model none;
    - fal: Seedream ``…/edit`` endpoints ``image_urls`` up to 10; text-to-image-only
      endpoints (FLUX schnell) none;
    - replicate: Seedream 4 ``image_input`` 1-10, Seedream 4.5 1-14; FLUX none.
    """
    if provider == "local":
        return LOCAL_MAX_REFERENCE_IMAGES
    if provider == "ark":
        return ark_reference_limit(model)
    if provider == "fal":
        return fal_reference_limit(model)
    if provider == "replicate":
        return REPLICATE_MAX_REFERENCE_IMAGES.get(model.partition(":")[0], 0)
    if provider == "openrouter" and model.startswith("bytedance-seed/seedream-4"):
        return OPENROUTER_SEEDREAM_MAX_REFERENCE_IMAGES  # provisional, see above
    return 0


def route_max_reference_images(route: str) -> int:
    provider, _, model = route.partition(":")
    return max_reference_images(provider, model)


def takes_source_image(provider: str, model: str) -> bool:
    """True when ``provider``'s module draws from a source image for ``model`` (the
    condition for a model to offer variations)."""
    return max_reference_images(provider, model) >= 1


def route_takes_source_image(route: str) -> bool:
    provider, _, model = route.partition(":")
    return takes_source_image(provider, model)


def honours_seed(provider: str, model: str) -> bool:
    """True when ``provider``'s API fixes the images with ``GenerationSpec.seed`` for
    ``model`` and its module sends it: fal (``seed`` on its FLUX and Seedream endpoints),
    Fireworks FLUX, Replicate models whose schema has ``seed``, Ark's Seedream 3.0 (the
    only Ark models documented to take one) and the offline preview. OpenAI images have
    no seed, OpenRouter's chat route passes none on, and Gemini's ``generationConfig.seed``
    is not documented to fix an image."""
    if provider in ("local", "fal", "fireworks"):
        return True
    if provider == "replicate":
        return model.partition(":")[0] not in _REPLICATE_WITHOUT_SEED
    if provider == "ark":
        return is_v3_model(model)
    return False


def route_honours_seed(route: str) -> bool:
    provider, _, model = route.partition(":")
    return honours_seed(provider, model)


def seed_used(route: str, requested: int | None, returned: int | None) -> int | None:
    """The seed a result was made with: the one the service reports (fal returns it),
    else the requested one where ``route`` honours it, else none (not claimed)."""
    if returned is not None:
        return returned
    return requested if route_honours_seed(route) else None
