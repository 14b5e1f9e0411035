"""The checkout landing pages as a buyer's browser shows them: Debian's Chromium,
headless, driven by Playwright, against the real web app on a loopback port."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PIL import Image, ImageStat
from playwright.async_api import async_playwright

from adapters.web.app import create_web_app
from tests.support.servers import serve_asgi

CHROMIUM = os.environ.get("SEEDREAM_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _check_screenshot(path: Path) -> None:
    assert path.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    with Image.open(path) as image:
        assert image.size == (800, 600)
        grey = image.convert("L")
        assert len(grey.getcolors(maxcolors=1 << 16) or []) > 10  # text, card, border
        assert ImageStat.Stat(grey).stddev[0] > 5  # not one flat colour


@pytest.fixture(scope="module")
def chromium() -> str:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs it (scripts/ensure-browser)")
    return CHROMIUM


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
async def test_success_and_cancel_pages_render_in_chromium(app, tmp_path, chromium):
    pages = {
        "success": ("/billing/success?session_id=cs_test_123", "return to the chat"),
        "cancel": ("/billing/cancel", "nothing was charged"),
    }
    async with serve_asgi(create_web_app(app)) as base, async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = await browser.new_page(viewport={"width": 800, "height": 600})
            for name, (path, phrase) in pages.items():
                response = await page.goto(base + path)
                assert response is not None and response.status == 200
                assert await page.title() == "Seedream"
                message = await page.inner_text("#message")
                assert phrase in message and "close this page" in message
                shot = tmp_path / f"checkout-{name}.png"
                await page.screenshot(path=str(shot))
                _check_screenshot(shot)
        finally:
            await browser.close()
