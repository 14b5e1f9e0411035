"""Image providers: one module per service, all behind ``Provider``."""

from core.providers.base import (
    GeneratedImage,
    GenerationResult,
    GenerationSpec,
    PromptEnhancer,
    Provider,
    SourceImage,
)

__all__ = [
    "GeneratedImage",
    "GenerationResult",
    "GenerationSpec",
    "PromptEnhancer",
    "Provider",
    "SourceImage",
]
