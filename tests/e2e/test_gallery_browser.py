"""The gallery as its owner's browser shows it: Debian's Chromium, headless, driven by
Playwright, against the real web app on a loopback port (images served by the same app's
signed /media links), on SQLite and PostgreSQL (the suite's ``engine`` fixture runs the
test once on each), at phone and desktop widths, with axe-core's accessibility rules (no
serious or critical violation).

Screenshots are kept under each run's tmp dir; with ``SEEDREAM_TEST_SCREENSHOT_DIR`` set,
the PostgreSQL run's are copied there too (docs/screenshots/ holds the README's): one
backend writes them, so the two runs never overwrite each other's."""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Page, async_playwright, expect
from starlette.applications import Starlette

from adapters.web.app import create_web_app
from bot.bootstrap import App, bootstrap
from tests.e2e.test_billing_pages_browser import CHROMIUM, CHROMIUM_ARGS
from tests.support.gallery_seed import new_user, seed_images
from tests.support.servers import serve_asgi

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
PAGE_SIZE = 24  # core.jobs.gallery.PAGE_SIZE
# Resolved at import: each test runs in tests/ (the suite's autouse fixture moves there).
SCREENSHOT_DIR = os.environ.get("SEEDREAM_TEST_SCREENSHOT_DIR")
SCREENSHOT_DIR = str(Path(SCREENSHOT_DIR).resolve()) if SCREENSHOT_DIR else None


@pytest.fixture
def browser_path() -> str:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs it (scripts/ensure-browser)")
    return CHROMIUM


@pytest.fixture
async def served(settings, engine) -> AsyncIterator[tuple[App, str]]:
    """The app bootstrapped with the served address as its public one (its media links
    and gallery links point at the server)."""
    outer = Starlette()
    async with serve_asgi(outer) as base:
        here = settings.model_copy(update={"public_base_url": base})
        async with bootstrap(here, engine=engine, migrate=False) as app:
            outer.router.routes.extend(create_web_app(app).routes)
            yield app, base


SCREENSHOT_BACKEND = "postgresql"  # the production shape writes the README's screenshots


def keep(shot: Path, backend: str) -> None:
    if SCREENSHOT_DIR and backend == SCREENSHOT_BACKEND:
        Path(SCREENSHOT_DIR).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(SCREENSHOT_DIR) / shot.name)


async def cards(page: Page) -> list[str]:
    return await page.locator("li.card .prompt").all_inner_texts()


async def serious_violations(page: Page) -> list[str]:
    """axe-core's serious and critical findings on ``page`` (rule ids with node counts)."""
    results = await Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {len(v['nodes'])}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


async def first_image_shown(page: Page) -> None:
    """Wait until the first picture is decoded (served through its signed /media link).

    Playwright's own assertions poll inside its injected script: ``wait_for_function``
    re-evaluates a string with eval(), which the page's CSP (no 'unsafe-eval') refuses
    whenever the picture is not there at the first look."""
    first = page.locator("img").first
    await expect(first).to_have_js_property("complete", True)
    await expect(first).not_to_have_js_property("naturalWidth", 0)


async def test_the_gallery_in_chromium_at_desktop_and_phone_widths(
    served, engine, tmp_path, browser_path
):
    app, base = served
    backend = engine.dialect.name  # the same engine the app was built on
    assert backend in ("sqlite", SCREENSHOT_BACKEND)
    actor, account_id = await new_user(app)
    prompts = [f"a lantern over the river, study {n}" for n in range(PAGE_SIZE + 3)]
    prompts[0] = "a red fox asleep in fresh snow"
    await seed_images(app, account_id, prompts, store=True)
    _, stranger_id = await new_user(app)
    await seed_images(app, stranger_id, ["a stranger's private garden"], store=True)
    link = await app.core.gallery.link(actor)

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=browser_path, args=CHROMIUM_ARGS)
        try:
            desktop = await browser.new_page(viewport=DESKTOP)
            response = await desktop.goto(link.url)
            assert response is not None and response.status == 200
            assert desktop.url == base + "/gallery"  # the token is gone from the address
            assert await desktop.title() == "Your gallery"
            shown = await cards(desktop)
            assert len(shown) == PAGE_SIZE and shown[0] == prompts[0]
            assert "a stranger's private garden" not in await desktop.content()
            await first_image_shown(desktop)
            assert await serious_violations(desktop) == []
            shot = tmp_path / "gallery-desktop.png"
            await desktop.screenshot(path=str(shot))
            keep(shot, backend)

            async with desktop.expect_navigation():
                await desktop.click("a[rel=next]")  # paging
            assert await cards(desktop) == prompts[PAGE_SIZE:]
            async with desktop.expect_navigation():
                await desktop.click("text=Newest images")
            assert len(await cards(desktop)) == PAGE_SIZE

            await desktop.fill("#q", "FOX")  # search, any case
            async with desktop.expect_navigation():
                await desktop.click("form.filters button")
            assert await cards(desktop) == [prompts[0]]

            card = desktop.locator("li.card").first  # delete, after a confirmation
            await card.locator("summary").click()
            assert await card.locator("button.danger").is_visible()
            async with desktop.expect_navigation():
                await card.locator("button.danger").click()
            assert "The image was deleted." in await desktop.inner_text(".notice")
            assert prompts[0] not in await cards(desktop)

            phone = await browser.new_page(viewport=PHONE)
            newer = await app.core.gallery.link(actor)  # revokes the desktop's link
            await phone.goto(newer.url)
            assert len(await cards(phone)) == PAGE_SIZE
            await first_image_shown(phone)
            width = await phone.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"]  # nothing sticks out sideways
            assert await serious_violations(phone) == []
            shot = tmp_path / "gallery-phone.png"
            await phone.screenshot(path=str(shot))
            keep(shot, backend)

            refused = await desktop.reload()  # the older link was revoked
            assert refused is not None and refused.status == 403
            assert await desktop.locator("img").count() == 0
            assert "does not work" in await desktop.inner_text("h1")
            assert await serious_violations(desktop) == []
        finally:
            await browser.close()
