"""What users read about reference images: /models says which models take them, and how
many, and an erasure receipt counts them."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from adapters.common.catalogue import LOCALES_DIR as COMMON_LOCALES
from adapters.common.wording import model_line, receipt_text
from core.catalog import load_catalog
from core.privacy.erase import ErasureReceipt
from core.text.catalogue import Messages

MESSAGES = Messages().layered(COMMON_LOCALES)


def t(key: str, **params) -> str:
    return MESSAGES.render(key, "en", **params)


def test_models_says_which_models_take_reference_images():
    catalog = load_catalog()
    preview = catalog.models["preview"]
    assert preview.max_reference_images == 4
    assert model_line(t, preview).endswith(
        "; takes up to 4 reference images (/imagine with images)"
    )
    charged = replace(preview, reference_cost_credits=2)
    assert "(/imagine with images, 2 credits each)" in model_line(t, charged)
    one = replace(preview, max_reference_images=1, reference_cost_credits=1)
    assert "up to 1 reference image (/imagine with images, 1 credit each)" in model_line(t, one)
    none = replace(preview, max_reference_images=0)
    assert "reference" not in model_line(t, none)


def test_an_erasure_receipt_counts_the_uploads():
    at = datetime(2026, 12, 6, tzinfo=UTC)
    receipt = ErasureReceipt("e1", True, at, at, counts={"uploads": 2})
    assert "2 reference images you brought" in receipt_text(t, MESSAGES.has, receipt)


def test_the_upload_settings_are_read_from_the_environment(monkeypatch, tmp_path):
    from bot.settings import Settings

    defaults = Settings(data_dir=tmp_path)
    assert (defaults.uploads_enabled, defaults.upload_max_bytes) == (True, 20 * 1024 * 1024)
    assert defaults.upload_max_megapixels == 40.0
    monkeypatch.setenv("SEEDREAM_UPLOADS_ENABLED", "false")
    monkeypatch.setenv("SEEDREAM_UPLOAD_MAX_BYTES", "1048576")
    monkeypatch.setenv("SEEDREAM_UPLOAD_MAX_MEGAPIXELS", "12.5")
    read = Settings(data_dir=tmp_path)
    assert (read.uploads_enabled, read.upload_max_bytes, read.upload_max_megapixels) == (
        False,
        1048576,
        12.5,
    )
