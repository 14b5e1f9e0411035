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

# -- reference images: OpenAI, Google Gemini, OpenRouter (each its service's documented
# limit of input images per request) --------------------------------------------------
# OpenAI image edits (``POST /images/edits``): GPT image models take "up to 16 images",
# each png, webp or jpg under 50 MB; dall-e-2 (shut down 2026-05-12) took one.
# Source: openai/openai-python ``src/openai/types/image_edit_params.py`` (``image``).
OPENAI_MAX_REFERENCE_IMAGES = 16
# Gemini image models: "Maximum images per prompt: 14" for gemini-3-pro-image and
# gemini-3.1-flash-image, 3 for gemini-2.5-flash-image (Google Cloud model pages,
# docs.cloud.google.com/vertex-ai/generative-ai/docs/models/gemini/3-pro-image,
# …/3-1-flash-image, …/2-5-flash-image; the same models on the Gemini API).
GEMINI_MAX_REFERENCE_IMAGES = {
    "gemini-3-pro-image": 14,
    "gemini-3.1-flash-image": 14,
    "gemini-2.5-flash-image": 3,
}
# OpenRouter documents no limit of its own ("the number of images you can send in a
# single request varies per provider and per model": openrouter.ai/docs/features/
# multimodal/images), so each model id takes its upstream service's limit: GPT Image as
# OpenAI's edits, Gemini as Google's, Seedream 4.5 as ByteDance's ("1-14 images":
# BytePlus ModelArk ``image``, Replicate's bytedance/seedream-4.5 ``image_input``).
# Model ids not listed take none.
OPENROUTER_MAX_REFERENCE_IMAGES = {
    "openai/gpt-image-2": OPENAI_MAX_REFERENCE_IMAGES,
    "google/gemini-3-pro-image": GEMINI_MAX_REFERENCE_IMAGES["gemini-3-pro-image"],
    "google/gemini-3.1-flash-image": GEMINI_MAX_REFERENCE_IMAGES["gemini-3.1-flash-image"],
    "google/gemini-2.5-flash-image": GEMINI_MAX_REFERENCE_IMAGES["gemini-2.5-flash-image"],
    "bytedance-seed/seedream-4.5": 14,
}


def _openai_google_openrouter_limit(provider: str, model: str) -> int:
    if provider == "openai":
        gpt_image = model.startswith(("gpt-image", "chatgpt-image"))
        return OPENAI_MAX_REFERENCE_IMAGES if gpt_image else 0
    if provider == "google":
        return GEMINI_MAX_REFERENCE_IMAGES.get(model.removeprefix("models/"), 0)
    return OPENROUTER_MAX_REFERENCE_IMAGES.get(model, 0)


def max_reference_images(provider: str, model: str) -> int:
    """How many ``GenerationSpec.reference_images`` ``provider``'s module sends for
    ``model`` (its service's documented limit; 0: none). ``model`` is the id the route
    calls with references: for fal, the route's edit model.

    - local: the offline preview draws from up to 16;
    - ark: Seedream 4.x/5.x ``image`` up to 14, SeedEdit 3.0 one, the 3.0 t2i model none;
    - fal: Seedream ``…/edit`` endpoints ``image_urls`` up to 10; text-to-image-only
      endpoints (FLUX schnell) none;
    - replicate: Seedream 4 ``image_input`` 1-10, Seedream 4.5 1-14; FLUX none;
    - openai (edits, GPT Image 16), google (Gemini inline parts), openrouter (the
      upstream model's limit): see the tables above.
    """
    if provider in ("openai", "google", "openrouter"):
        return _openai_google_openrouter_limit(provider, model)
    if provider == "local":
        return LOCAL_MAX_REFERENCE_IMAGES
    if provider == "ark":
        return ark_reference_limit(model)
    if provider == "fal":
        return fal_reference_limit(model)
    if provider == "replicate":
        return REPLICATE_MAX_REFERENCE_IMAGES.get(model.partition(":")[0], 0)
    return 0


def route_max_reference_images(route: str) -> int:
    provider, _, model = route.partition(":")
    return max_reference_images(provider, model)


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
