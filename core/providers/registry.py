"""Which image services this deployment can use: a provider is configured when its API
key is set. Base URLs are configurable (that is also how tests reach loopback fakes)."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field

import httpx

from core.providers.base import Provider
from core.providers.local import LocalProvider

# name used in catalogue routes → (module, class)
PROVIDER_CLASSES: dict[str, tuple[str, str]] = {
    "openai": ("core.providers.openai", "OpenAIProvider"),
    "replicate": ("core.providers.replicate", "ReplicateProvider"),
    "fal": ("core.providers.fal", "FalProvider"),
    "fireworks": ("core.providers.fireworks", "FireworksProvider"),
    "google": ("core.providers.google", "GeminiProvider"),
    "openrouter": ("core.providers.openrouter", "OpenRouterProvider"),
    "ark": ("core.providers.ark", "ArkProvider"),
}


@dataclass(frozen=True, slots=True)
class ProviderConfig:
    api_key: str
    base_url: str
    options: dict[str, str] = field(default_factory=dict)  # e.g. fal's second host


def build_providers(
    http: httpx.AsyncClient, configs: dict[str, ProviderConfig]
) -> dict[str, Provider]:
    """The offline ``local`` provider plus every configured service."""
    providers: dict[str, Provider] = {"local": LocalProvider()}
    for name, config in configs.items():
        module_name, class_name = PROVIDER_CLASSES[name]
        cls = getattr(importlib.import_module(module_name), class_name)
        providers[name] = cls(
            http, api_key=config.api_key, base_url=config.base_url.rstrip("/"), **config.options
        )
    return providers
