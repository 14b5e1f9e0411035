"""The catalogue: models, plans and credit packs, loaded from a TOML file."""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from core.providers.capabilities import route_max_reference_images

ASPECT_MIN, ASPECT_MAX = 1 / 4, 4  # extreme ratios make useless slivers
OUTPUT_MODALITIES = ("image", "text")


@dataclass(frozen=True, slots=True)
class ModelSpec:
    id: str
    label: str
    routes: tuple[str, ...]
    cost_credits: int  # per image
    aspect_ratios: tuple[str, ...]
    default_aspect: str
    max_images: int
    base_size_px: int = 1024
    supports_seed: bool = True
    supports_negative_prompt: bool = True
    nsfw: bool = False
    variations: bool = False  # V1..Vn under results: a new grid drawn from one image
    # What the model outputs: ("image",) for image-only models (FLUX, Seedream, GPT
    # Image), ("image", "text") for Gemini-style ones. OpenRouter is asked for exactly this.
    output_modalities: tuple[str, ...] = ("image",)
    # Reference images a request may bring (0: none). At most what every route takes
    # (checked at load against core.providers.capabilities); each costs
    # ``reference_cost_credits`` on top of the images.
    max_reference_images: int = 0
    reference_cost_credits: int = 0
    # (route, edit model): a route whose service draws from references at another
    # endpoint (fal's Seedream ``…/text-to-image`` → ``…/edit``).
    edit_models: tuple[tuple[str, str], ...] = ()

    def cost_for(self, image_count: int, reference_count: int = 0) -> int:
        return self.cost_credits * image_count + self.reference_cost_credits * reference_count

    def provider_model(self, route: str, *, with_references: bool = False) -> str:
        """The service's model id ``route`` calls: its edit model when the request has
        references and the catalogue names one, else the route's own."""
        if with_references:
            for edit_route, edit_model in self.edit_models:
                if edit_route == route:
                    return edit_model
        return route.split(":", 1)[1]

    def route_reference_limit(self, route: str) -> int:
        """How many reference images ``route`` (through its edit model, if any) takes."""
        provider = route.split(":", 1)[0]
        return route_max_reference_images(
            f"{provider}:{self.provider_model(route, with_references=True)}"
        )

    @property
    def providers(self) -> tuple[str, ...]:
        return tuple(route.split(":", 1)[0] for route in self.routes)


@dataclass(frozen=True, slots=True)
class Plan:
    id: str
    label: str
    max_running_jobs: int = 1
    max_queued_jobs: int = 3
    image_retention_days: int = 30
    priority: bool = False
    reference_images: bool = True  # may bring reference images to /imagine (uploads)
    # Sold as a monthly subscription when price_cents > 0; monthly_credits are granted
    # on each paid invoice.
    monthly_credits: int = 0
    price_cents: int = 0
    currency: str = "usd"

    @property
    def subscribable(self) -> bool:
        return self.price_cents > 0


@dataclass(frozen=True, slots=True)
class CreditPack:
    id: str
    label: str
    credits: int
    price_cents: int
    currency: str = "usd"
    stars: int | None = None


@dataclass(frozen=True, slots=True)
class ProviderLimits:
    """Operator limits for one image service, shared by every worker process."""

    max_concurrency: int = 8  # requests in flight across all workers
    timeout_s: float = 120.0  # one request


@dataclass(frozen=True, slots=True)
class Moderation:
    """Checked before anything is spent; matching is case-insensitive."""

    blocked_words: tuple[str, ...] = ()
    blocked_patterns: tuple[str, ...] = ()  # regular expressions


@dataclass(frozen=True, slots=True)
class Catalog:
    models: dict[str, ModelSpec]
    plans: dict[str, Plan]
    packs: dict[str, CreditPack]
    welcome_grant_credits: int = 0
    default_model_id: str = field(default="")
    providers: dict[str, ProviderLimits] = field(default_factory=dict)
    moderation: Moderation = field(default_factory=Moderation)
    explicit_default: bool = False  # default_model was set in the file

    def provider_limits(self, name: str) -> ProviderLimits:
        return self.providers.get(name) or ProviderLimits()

    def model(self, model_id: str) -> ModelSpec | None:
        return self.models.get(model_id.strip().lower())

    def plan(self, plan_id: str) -> Plan:
        return self.plans.get(plan_id) or self.plans["free"]


class CatalogError(ValueError):
    """The catalogue file is invalid; the message says where."""


def parse_aspect(aspect: str) -> tuple[int, int] | None:
    """``"16:9"`` → ``(16, 9)``; anything else → ``None``."""
    parts = aspect.strip().replace("x", ":").split(":")
    if len(parts) != 2 or not all(p.isdigit() and 0 < len(p) <= 3 for p in parts):
        return None
    w, h = int(parts[0]), int(parts[1])
    if w == 0 or h == 0 or not ASPECT_MIN <= w / h <= ASPECT_MAX:
        return None
    return w, h


def size_for_aspect(aspect: str, base_size_px: int) -> tuple[int, int]:
    """Pixel size with about ``base_size_px``² pixels, sides multiples of 64."""
    ratio = parse_aspect(aspect)
    if ratio is None:
        raise ValueError(f"invalid aspect ratio {aspect!r}")
    w, h = ratio
    width = base_size_px * math.sqrt(w / h)
    height = base_size_px * math.sqrt(h / w)
    return max(64, round(width / 64) * 64), max(64, round(height / 64) * 64)


def default_catalog_path() -> Path:
    return Path(__file__).resolve().parent.parent / "bot" / "catalog.toml"


def load_catalog(path: Path | None = None) -> Catalog:
    """Read and check a catalogue file.

    Raises:
        CatalogError: a field is missing or inconsistent.
    """
    path = path or default_catalog_path()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise CatalogError(f"{path}: {exc}") from exc
    try:
        return _build(raw)
    except (KeyError, TypeError, ValueError) as exc:
        raise CatalogError(f"{path}: {exc}") from exc


def _build(raw: dict) -> Catalog:
    models: dict[str, ModelSpec] = {}
    for item in raw.get("models", []):
        routes, edit_models = _routes(item["routes"])
        spec = ModelSpec(
            id=str(item["id"]).lower(),
            label=str(item["label"]),
            routes=routes,
            cost_credits=int(item["cost_credits"]),
            aspect_ratios=tuple(item["aspect_ratios"]),
            default_aspect=str(item.get("default_aspect", item["aspect_ratios"][0])),
            max_images=int(item.get("max_images", 1)),
            base_size_px=int(item.get("base_size_px", 1024)),
            supports_seed=bool(item.get("supports_seed", True)),
            supports_negative_prompt=bool(item.get("supports_negative_prompt", True)),
            nsfw=bool(item.get("nsfw", False)),
            variations=bool(item.get("variations", False)),
            output_modalities=tuple(item.get("output_modalities", ["image"])),
            max_reference_images=int(item.get("max_reference_images", 0)),
            reference_cost_credits=int(item.get("reference_cost_credits", 0)),
            edit_models=edit_models,
        )
        _check_model(spec)
        if spec.id in models:
            raise ValueError(f"model {spec.id!r} is listed twice")
        models[spec.id] = spec
    if not models:
        raise ValueError("at least one [[models]] entry is required")
    plans = {
        pid: Plan(id=pid, **{k: v for k, v in body.items()})
        for pid, body in raw.get("plans", {}).items()
    }
    plans.setdefault("free", Plan(id="free", label="Free"))
    for plan in plans.values():
        if plan.monthly_credits < 0 or plan.price_cents < 0:
            raise ValueError(f"plan {plan.id!r}: monthly_credits and price_cents must be >= 0")
        if plan.id == "free" and plan.subscribable:
            raise ValueError("plan 'free' cannot have a price")
    packs: dict[str, CreditPack] = {}
    for item in raw.get("packs", []):
        pack = CreditPack(**item)
        if pack.credits <= 0 or pack.price_cents <= 0:
            raise ValueError(f"pack {pack.id!r}: credits and price_cents must be positive")
        if pack.stars is not None and pack.stars <= 0:
            raise ValueError(f"pack {pack.id!r}: stars must be positive")
        packs[pack.id] = pack
    welcome = int(raw.get("welcome_grant_credits", 0))
    if welcome < 0:
        raise ValueError("welcome_grant_credits must not be negative")
    default_model = str(raw.get("default_model", next(iter(models))))
    if default_model not in models:
        raise ValueError(f"default_model {default_model!r} is not a listed model")
    providers = {name: ProviderLimits(**body) for name, body in raw.get("providers", {}).items()}
    for name, limits in providers.items():
        if limits.max_concurrency < 1 or limits.timeout_s <= 0:
            raise ValueError(f"providers.{name}: max_concurrency and timeout_s must be positive")
    mod = raw.get("moderation", {})
    moderation = Moderation(
        blocked_words=tuple(str(w).lower() for w in mod.get("blocked_words", [])),
        blocked_patterns=tuple(str(p) for p in mod.get("blocked_patterns", [])),
    )
    for pattern in moderation.blocked_patterns:
        re.compile(pattern)  # re.error is a ValueError: reported with the file name
    return Catalog(
        models,
        plans,
        packs,
        welcome,
        default_model,
        providers,
        moderation,
        explicit_default="default_model" in raw,
    )


def _routes(raw: list) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """A model's ``routes``: each a ``"provider:model"`` string, or a table
    ``{route = "provider:model", edit_model = "…"}`` naming the endpoint used when a
    request brings reference images."""
    routes: list[str] = []
    edit_models: list[tuple[str, str]] = []
    for entry in raw:
        if isinstance(entry, dict):
            route = str(entry["route"])
            if "edit_model" in entry:
                edit_models.append((route, str(entry["edit_model"])))
            unknown = set(entry) - {"route", "edit_model"}
            if unknown:
                raise ValueError(f"route {route!r}: unknown field(s) {', '.join(sorted(unknown))}")
        else:
            route = str(entry)
        routes.append(route)
    return tuple(routes), tuple(edit_models)


def _check_model(spec: ModelSpec) -> None:
    if spec.cost_credits < 0:
        raise ValueError(f"model {spec.id!r}: cost_credits must not be negative")
    if not spec.routes or any(":" not in r for r in spec.routes):
        raise ValueError(f"model {spec.id!r}: routes must look like 'provider:model'")
    if not 1 <= spec.max_images <= 8:
        raise ValueError(f"model {spec.id!r}: max_images must be 1..8")
    for aspect in spec.aspect_ratios:
        if parse_aspect(aspect) is None:
            raise ValueError(f"model {spec.id!r}: bad aspect ratio {aspect!r}")
    modalities = spec.output_modalities
    if "image" not in modalities or not set(modalities) <= set(OUTPUT_MODALITIES):
        raise ValueError(
            f"model {spec.id!r}: output_modalities must include 'image' and be among "
            f"{', '.join(OUTPUT_MODALITIES)}"
        )
    if spec.default_aspect not in spec.aspect_ratios:
        raise ValueError(f"model {spec.id!r}: default_aspect must be one of aspect_ratios")
    if spec.variations:
        unable = [r for r in spec.routes if spec.route_reference_limit(r) < 1]
        if unable:
            raise ValueError(
                f"model {spec.id!r}: variations need every route to take a source image; "
                f"these cannot: {', '.join(unable)}"
            )
    if spec.max_reference_images < 0 or spec.reference_cost_credits < 0:
        raise ValueError(
            f"model {spec.id!r}: max_reference_images and reference_cost_credits must be >= 0"
        )
    for route in spec.routes:
        limit = spec.route_reference_limit(route)
        if spec.max_reference_images > limit:
            raise ValueError(
                f"model {spec.id!r}: max_reference_images is {spec.max_reference_images} but "
                f"route {route} takes at most {limit}"
            )
