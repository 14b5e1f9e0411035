"""The operator dashboard as an operator's browser shows it: Debian's Chromium, headless,
driven by Playwright, against the real web app on a loopback port, on SQLite and
PostgreSQL, at desktop and phone widths, with axe-core's accessibility rules (no serious
or critical violation): a link from `seedream admin dashboard-link` opened, a day of
traffic charted, an account looked up, credits granted from the page (and a bad amount
refused), and the page refused once the link is revoked.

Screenshots are kept under the test's tmp dir; with ``SEEDREAM_TEST_SCREENSHOT_DIR`` set
they are copied there too (docs/screenshots/ holds the README's)."""

from __future__ import annotations

import pytest
from playwright.async_api import async_playwright

from core.types import Actor
from tests.conftest import unique_user
from tests.e2e.test_billing_pages_browser import CHROMIUM_ARGS
from tests.e2e.test_gallery_browser import (  # noqa: F401 (fixtures)
    DESKTOP,
    PHONE,
    browser_path,
    keep,
    serious_violations,
    served,
)
from tests.support.dashboard_seed import seed_day


@pytest.fixture
def settings(settings):
    """telegram:5 is an operator here (the phone's link)."""
    return settings.model_copy(update={"telegram_admin_ids": "5"})


async def test_the_dashboard_in_chromium_with_a_grant_from_the_page(
    served,  # noqa: F811
    engine,
    tmp_path,
    browser_path,  # noqa: F811
):
    app, base = served
    backend = engine.dialect.name  # the same engine the app was built on
    ended_jobs = await seed_day(app)
    customer = Actor("telegram", unique_user(), "Customer", "en")
    await app.core.accept_terms(customer, age_confirmed=True)
    before = (await app.core.account(customer)).balance_credits
    link = await app.core.dashboard_links.link("cli")

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=browser_path, args=CHROMIUM_ARGS)
        try:
            desktop = await browser.new_page(viewport=DESKTOP)
            response = await desktop.goto(link.url)
            assert response is not None and response.status == 200
            assert desktop.url == base + "/dashboard"  # the token is gone from the address
            assert await desktop.title() == "Operator dashboard"
            label = await desktop.get_attribute("#jobs-chart", "aria-label")
            assert label is not None and label.startswith("Jobs per hour")
            hidden = await desktop.locator("#jobs-table tbody td").all_inner_texts()
            assert sum(int(n) for n in hidden) >= ended_jobs  # the chart's numbers, readable
            assert await desktop.locator("#providers-table td.open").count() == 1
            assert await serious_violations(desktop) == []

            await desktop.select_option("#platform", "telegram")  # look the customer up
            await desktop.fill("#user", customer.platform_user_id)
            async with desktop.expect_navigation():
                await desktop.click("form[role=search] button")
            assert await desktop.inner_text("#balance") == f"{before:,}"

            await desktop.fill("#credits", "0")  # refused: nothing changes
            await desktop.fill("#grant-reason", "support ticket 12")
            async with desktop.expect_navigation():
                await desktop.click("form.action button:has-text('Grant')")
            assert "from 1 to 1,000,000,000" in await desktop.inner_text(".problem")
            assert (await app.core.account(customer)).balance_credits == before

            await desktop.fill("#credits", "250")
            await desktop.fill("#grant-reason", "support ticket 12")
            async with desktop.expect_navigation():
                await desktop.click("form.action button:has-text('Grant')")
            assert "The credits were granted." in await desktop.inner_text(".notice")
            assert await desktop.inner_text("#balance") == f"{before + 250:,}"
            assert (await app.core.account(customer)).balance_credits == before + 250
            assert "web:cli" in await desktop.inner_text("#audit-table")
            assert await serious_violations(desktop) == []
            shot = tmp_path / "dashboard-desktop.png"
            await desktop.screenshot(path=str(shot), full_page=True)
            keep(shot, backend)

            phone = await browser.new_page(viewport=PHONE)
            other = await app.core.dashboard_links.link("telegram:5")
            await phone.goto(other.url)
            assert await phone.title() == "Operator dashboard"
            width = await phone.evaluate("document.documentElement.scrollWidth")
            sticking_out = await phone.evaluate(
                "[...document.querySelectorAll('main *')]"
                ".filter(e => e.getBoundingClientRect().right > innerWidth)"
                ".map(e => e.tagName + '.' + e.className.baseVal ?? e.className).slice(0, 5)"
            )
            assert width <= PHONE["width"], sticking_out  # nothing sticks out sideways
            assert await serious_violations(phone) == []
            shot = tmp_path / "dashboard-phone.png"
            await phone.screenshot(path=str(shot))
            keep(shot, backend)

            await app.core.dashboard_links.revoke("cli")
            refused = await desktop.reload()
            assert refused is not None and refused.status == 403
            assert await desktop.locator("svg, table, form").count() == 0
            assert "does not work" in await desktop.inner_text("h1")
        finally:
            await browser.close()
