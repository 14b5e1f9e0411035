"""The Provider port: one small async method per image service."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True, repr=False)
class SourceImage:
    """An image a generation draws from (a reference the user brought, or the image a
    variation is drawn from): its bytes (for providers that upload or inline it) and a
    signed, expiring link to it (for services that fetch by URL). Never a link a user
    typed: the bytes came from our storage and the link is ours."""

    data: bytes
    mime: str
    url: str
    width: int
    height: int

    def __repr__(self) -> str:  # never the bytes or the signed link in logs
        return f"SourceImage({self.mime}, {self.width}x{self.height}, {len(self.data)} bytes)"


@dataclass(frozen=True, slots=True)
class GenerationSpec:
    """What to draw, already validated and resolved against the catalogue. With
    ``reference_images`` the model draws from them (what they mean, edit, style or
    subject, is the model's to decide); a variation is one reference, its source image.
    ``model`` is then the route's edit model where the catalogue names one."""

    prompt: str
    negative_prompt: str | None
    model: str  # the provider's own model id from the route
    aspect_ratio: str  # "16:9"
    width: int
    height: int
    seed: int | None
    image_count: int
    reference_images: tuple[SourceImage, ...] = ()
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
