"""The Provider port: one small async method per image service."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True, repr=False)
class SourceImage:
    """The image a variation is drawn from: its bytes (for providers that upload or draw
    locally) and a signed, expiring link to it (for services that fetch by URL)."""

    data: bytes
    mime: str
    url: str
    width: int
    height: int

    def __repr__(self) -> str:  # never the bytes or the signed link in logs
        return f"SourceImage({self.mime}, {self.width}x{self.height}, {len(self.data)} bytes)"


@dataclass(frozen=True, slots=True)
class GenerationSpec:
    """What to draw, already validated and resolved against the catalogue. With a
    ``source_image`` it is a variation: new images that stay close to that one."""

    prompt: str
    negative_prompt: str | None
    model: str  # the provider's own model id from the route
    aspect_ratio: str  # "16:9"
    width: int
    height: int
    seed: int | None
    image_count: int
    source_image: SourceImage | None = None
    # What the model outputs (the catalogue's ``output_modalities``): OpenRouter must be
    # asked for exactly what the model has, ("image",) for image-only models.
    output_modalities: tuple[str, ...] = ("image",)


@dataclass(frozen=True, slots=True)
class GeneratedImage:
    data: bytes
    mime: str  # "image/png", "image/jpeg", "image/webp"
    width: int
    height: int


@dataclass(frozen=True, slots=True)
class GenerationResult:
    images: list[GeneratedImage]
    provider_job_id: str | None = None
    cost_usd: float | None = None
    seed: int | None = None  # the seed the service says it drew with (fal returns it)


class Provider(Protocol):
    name: str

    async def generate(self, spec: GenerationSpec) -> GenerationResult:
        """Generate ``spec.image_count`` images.

        Raises:
            ProviderRefused, ProviderRateLimited, ProviderTransient, ProviderPermanent
            (from ``core.errors``); nothing else escapes.
        """


class PromptEnhancer(Protocol):
    async def enhance(self, prompt: str) -> str:
        """A richer prompt for image models.

        Raises:
            ProviderError (any subclass): the caller falls back to the original prompt.
        """
