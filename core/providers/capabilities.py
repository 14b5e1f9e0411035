"""Which catalogue routes can draw from a source image (image-to-image), the condition
for a model to offer variations. Plain string rules, kept beside the provider modules
that implement them, so the catalogue can check a file without building any provider."""

from __future__ import annotations


def takes_source_image(provider: str, model: str) -> bool:
    """True when ``provider``'s module sends ``GenerationSpec.source_image`` for
    ``model``: the offline preview, and Ark's Seedream 4.x/5.x (reference ``image``; the
    3.0 text-to-image model takes none)."""
    if provider == "local":
        return True
    if provider == "ark":
        return "-t2i-" not in model
    return False


def route_takes_source_image(route: str) -> bool:
    provider, _, model = route.partition(":")
    return takes_source_image(provider, model)
