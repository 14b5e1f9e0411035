"""The shipped catalogue plus "spicy": the offline preview marked age-restricted
(``nsfw``), for the tests of the age-restricted rule (issue 14)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from core.catalog import Catalog, load_catalog

REFUSAL = "The model spicy is age-restricted"  # the start of the English refusal


def catalog_with_spicy(catalog_path: Path | None, *, default: str | None = None) -> Catalog:
    """``default`` makes that model the catalogue's explicit default."""
    catalog = load_catalog(catalog_path)
    spicy = replace(catalog.models["preview"], id="spicy", label="Spicy", nsfw=True)
    catalog = replace(catalog, models={**catalog.models, "spicy": spicy})
    if default is not None:
        catalog = replace(catalog, default_model_id=default, explicit_default=True)
    return catalog
