"""The operator dashboard on SQLite and PostgreSQL: links (issued per operator, opened,
expired, revoked by a newer link or by --revoke, forged), the web session they become
(its own cookie: never a gallery session, and the reverse), the page's numbers, the
account lookup, and grant/ban/unban from the page (CSRF, the CLI's limits, the ledger
and the audit naming web:<operator>)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from adapters.web.app import create_web_app
from core import WebLinkInvalid
from core.clock import utcnow
from core.db.tables import admin_audit, ledger_entries, web_links
from core.types import Actor
from tests.conftest import unique_user
from tests.support.gallery_seed import new_user, seed_images

CSRF = re.compile(r'name="csrf" value="([0-9a-f]+)"')
REFERENCE = re.compile(r'name="reference" value="([0-9a-f]+)"')


def token_of(url: str) -> str:
    assert "/dashboard/t/" in url
    return url.rsplit("/", 1)[1]


@pytest.fixture
def settings(settings):
    """The operators of these tests: discord:42 and telegram:5 (and the CLI)."""
    return settings.model_copy(update={"discord_admin_ids": "42", "telegram_admin_ids": "5"})


@pytest.fixture
async def web(app) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=create_web_app(app))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


async def operator_session(web: httpx.AsyncClient, app, operator: str = "discord:42") -> str:
    link = await app.core.dashboard_links.link(operator)
    response = await web.get(f"/dashboard/t/{token_of(link.url)}")
    assert response.status_code == 303 and response.headers["location"] == "/dashboard"
    return token_of(link.url)


async def customer(app) -> Actor:
    actor = Actor("telegram", unique_user(), "Customer", "en")
    await app.core.accept_terms(actor, age_confirmed=True)
    return actor


async def form_fields(web: httpx.AsyncClient, actor: Actor) -> dict[str, str]:
    page = await web.get(
        "/dashboard", params={"platform": "telegram", "user": actor.platform_user_id}
    )
    assert page.status_code == 200
    return {
        "csrf": CSRF.search(page.text).group(1),
        "reference": REFERENCE.search(page.text).group(1),
        "platform": "telegram",
        "user": actor.platform_user_id,
    }


async def audit_of(app, actor: Actor) -> list[tuple[str, str, int | None]]:
    found = await app.core.dashboard_account(actor.platform, actor.platform_user_id)
    assert found is not None
    return [(a.operator, a.action, a.amount_credits) for a in reversed(found.audit)]


async def balance_of(app, actor: Actor) -> int:
    return (await app.core.account(actor)).balance_credits


async def test_a_link_per_operator_short_lived_and_revoked_by_a_newer_one(app):
    first = await app.core.dashboard_links.link("cli")
    assert first.url.startswith("http://127.0.0.1:9/dashboard/t/")
    assert first.ttl_s == 900
    assert timedelta(seconds=890) < first.expires_at - utcnow() <= timedelta(seconds=900)
    grant = await app.core.dashboard_links.open(token_of(first.url))
    assert grant.operator == "cli"
    other = await app.core.dashboard_links.link("telegram:5")  # another operator's

    second = await app.core.dashboard_links.link("cli")

    for stale in (
        lambda: app.core.dashboard_links.open(token_of(first.url)),
        lambda: app.core.dashboard_links.check(grant.link_id),
    ):
        with pytest.raises(WebLinkInvalid):
            await stale()
    assert (await app.core.dashboard_links.open(token_of(other.url))).operator == "telegram:5"
    assert (await app.core.dashboard_links.open(token_of(second.url))).operator == "cli"
    assert await app.core.dashboard_links.revoke("cli") == 1
    with pytest.raises(WebLinkInvalid):
        await app.core.dashboard_links.open(token_of(second.url))
    async with app.uow() as uow:  # only hashes are stored, never a token
        stored = set((await uow.conn.execute(select(web_links.c.token_sha256))).scalars())
    assert token_of(second.url) not in stored
    with pytest.raises(ValueError):
        await app.core.dashboard_links.link("nobody")


async def test_expired_forged_and_revoked_links_get_403_showing_nothing(app, web):
    actor = await customer(app)
    link = await app.core.dashboard_links.link("cli")
    link_id = (await app.core.dashboard_links.open(token_of(link.url))).link_id
    async with app.uow() as uow:
        await uow.conn.execute(
            update(web_links)
            .values(expires_at=utcnow() - timedelta(seconds=1))
            .where(web_links.c.id == link_id)
        )
        await uow.commit()
    for token in (token_of(link.url), "forged-" + "x" * 36, "y" * 500):
        response = await web.get(f"/dashboard/t/{token}")
        assert response.status_code == 403
        assert "Operator dashboard" not in response.text and "<svg" not in response.text
        assert response.headers["cache-control"] == "no-store"
        assert response.headers["referrer-policy"] == "no-referrer"
    assert (await web.get("/dashboard")).status_code == 403  # no session at all

    token = await operator_session(web, app, "cli")
    assert (await web.get("/dashboard")).status_code == 200
    await app.core.dashboard_links.revoke("cli")  # the session ends with its link
    page = await web.get(
        "/dashboard", params={"platform": "telegram", "user": actor.platform_user_id}
    )
    assert page.status_code == 403 and actor.platform_user_id not in page.text
    with pytest.raises(WebLinkInvalid):
        await app.core.dashboard_links.open(token)


async def test_the_session_cookie_headers_and_the_page(app, web):
    _, account_id = await new_user(app)
    await seed_images(app, account_id, ["a quiet harbour"])
    link = await app.core.dashboard_links.link("discord:42")
    opened = await web.get(f"/dashboard/t/{token_of(link.url)}")
    cookie = opened.headers["set-cookie"]
    assert cookie.startswith("seedream_dashboard=") and token_of(link.url) not in cookie
    for attribute in ("HttpOnly", "Path=/dashboard", "SameSite=lax"):
        assert attribute in cookie

    page = await web.get("/dashboard")

    assert page.status_code == 200
    csp = page.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "style-src 'self'" in csp and "script" not in csp
    assert page.headers["referrer-policy"] == "no-referrer"
    assert page.headers["cache-control"] == "no-store"
    assert "<script" not in page.text and "style=" not in page.text
    assert "discord:42" in page.text  # who is signed in
    assert page.text.count('role="img"') >= 2 and 'aria-label="Jobs per hour' in page.text
    # the numbers behind the jobs chart are in a table: one succeeded job this hour
    jobs_table = page.text.split('id="jobs-table"')[1].split("</table>")[0]
    assert "<td>1</td>" in jobs_table
    assert "a quiet harbour" not in page.text  # prompts are not part of the dashboard


async def test_a_dashboard_session_never_opens_the_gallery_and_the_reverse(app, web):
    actor, account_id = await new_user(app)
    await seed_images(app, account_id, ["a private lighthouse"])
    gallery = await app.core.gallery.link(actor)
    dashboard = await app.core.dashboard_links.link("cli")
    # Each link's token is refused by the other page.
    gallery_token = gallery.url.rsplit("/", 1)[1]
    assert (await web.get(f"/dashboard/t/{gallery_token}")).status_code == 403
    assert (await web.get(f"/gallery/t/{token_of(dashboard.url)}")).status_code == 403
    await operator_session(web, app, "cli")
    assert (await web.get("/gallery")).status_code == 403  # the dashboard cookie is not sent there
    value = web.cookies.get("seedream_dashboard")
    web.cookies.set("seedream_gallery", value, path="/gallery")  # nor accepted if it were
    refused = await web.get("/gallery")
    assert refused.status_code == 403 and "lighthouse" not in refused.text

    other = httpx.AsyncClient(transport=web._transport, base_url="http://testserver")
    async with other:
        opened = await other.get(f"/gallery/t/{gallery_token}")
        assert opened.status_code == 303
        other.cookies.set(
            "seedream_dashboard", other.cookies.get("seedream_gallery"), path="/dashboard"
        )
        assert (await other.get("/dashboard")).status_code == 403


async def test_grant_ban_and_unban_from_the_page_are_in_the_ledger_and_the_audit(app, web):
    actor = await customer(app)
    before = await balance_of(app, actor)
    await operator_session(web, app, "discord:42")
    fields = await form_fields(web, actor)
    reference = fields["reference"]

    granted = await web.post(
        "/dashboard/grant", data={**fields, "credits": "250", "reason": "goodwill"}
    )
    assert granted.status_code == 303 and "done=granted" in granted.headers["location"]
    again = await web.post(
        "/dashboard/grant", data={**fields, "credits": "250", "reason": "goodwill"}
    )
    assert "done=already" in again.headers["location"]  # the same form sent twice
    assert await balance_of(app, actor) == before + 250
    page = await web.get(granted.headers["location"])
    assert "The credits were granted." in page.text
    assert (
        f'id="balance">{before + 250:,}<' in page.text
        or f'id="balance">{before + 250}<' in page.text
    )

    fields = await form_fields(web, actor)
    banned = await web.post("/dashboard/ban", data={**fields, "action": "ban", "reason": "spam"})
    assert "done=banned" in banned.headers["location"]
    assert (await app.core.dashboard_account("telegram", actor.platform_user_id)).banned
    unbanned = await web.post("/dashboard/ban", data={**fields, "action": "unban"})
    assert "done=unbanned" in unbanned.headers["location"]
    assert not (await app.core.dashboard_account("telegram", actor.platform_user_id)).banned

    assert await audit_of(app, actor) == [
        ("web:discord:42", "grant", 250),
        ("web:discord:42", "ban", None),
        ("web:discord:42", "unban", None),
    ]
    async with app.uow() as uow:
        note = await uow.conn.scalar(
            select(ledger_entries.c.note).where(
                ledger_entries.c.reason == "admin_grant",
                ledger_entries.c.reference == f"web:{reference}",
            )
        )
    assert note == "goodwill"


async def test_changes_without_the_csrf_token_or_with_bad_input_change_nothing(app, web):
    actor = await customer(app)
    before = await balance_of(app, actor)
    await operator_session(web, app, "cli")
    fields = await form_fields(web, actor)
    for csrf in (None, "", "0" * 64):
        data = {k: v for k, v in fields.items() if k != "csrf"}
        if csrf is not None:
            data["csrf"] = csrf
        refused = await web.post("/dashboard/grant", data={**data, "credits": "5", "reason": "x"})
        assert refused.status_code == 403
        refused = await web.post("/dashboard/ban", data={**data, "action": "ban", "reason": "x"})
        assert refused.status_code == 403
    for credits in ("0", "-5", "1000000001", "12.5", "ten", "", "99999999999999999999", "²"):
        bad = await web.post("/dashboard/grant", data={**fields, "credits": credits, "reason": "x"})
        assert "problem=amount" in bad.headers["location"], credits
    page = await web.get(bad.headers["location"])
    assert "from 1 to 1,000,000,000. Nothing was changed." in page.text
    no_reason = await web.post("/dashboard/grant", data={**fields, "credits": "5", "reason": " "})
    assert "problem=reason" in no_reason.headers["location"]
    no_reason = await web.post("/dashboard/ban", data={**fields, "action": "ban", "reason": ""})
    assert "problem=reason" in no_reason.headers["location"]
    stranger = {**fields, "user": unique_user()}
    missing = await web.post("/dashboard/grant", data={**stranger, "credits": "5", "reason": "x"})
    assert "problem=missing" in missing.headers["location"]
    assert "No account has that platform id." in (await web.get(missing.headers["location"])).text

    assert await balance_of(app, actor) == before
    assert await audit_of(app, actor) == []
    async with app.uow() as uow:
        rows = (await uow.conn.execute(select(admin_audit.c.id))).all()
    assert rows == []


async def test_the_page_speaks_the_browsers_language(app, web):
    await operator_session(web, app, "cli")
    page = await web.get("/dashboard", headers={"accept-language": "ru"})
    assert 'lang="ru"' in page.text and "Панель оператора" in page.text


async def test_an_operator_taken_out_of_the_settings_is_refused_link_or_not(app, web):
    actor = await customer(app)
    former = await app.core.dashboard_links.link("discord:99")  # not among the operators
    refused = await web.get(f"/dashboard/t/{token_of(former.url)}")
    assert refused.status_code == 403 and "Operator dashboard" not in refused.text
    # A session opened while allowed ends once the id is gone from the settings.
    await operator_session(web, app, "telegram:5")
    narrower = app.settings.model_copy(update={"telegram_admin_ids": ""})
    transport = httpx.ASGITransport(app=create_web_app(_with_settings(app, narrower)))
    async with httpx.AsyncClient(
        transport=transport, base_url="http://testserver", cookies=web.cookies
    ) as after:
        page = await after.get("/dashboard")
        assert page.status_code == 403
        fields = {"csrf": "x", "platform": "telegram", "user": actor.platform_user_id}
        post = await after.post("/dashboard/grant", data={**fields, "credits": "5", "reason": "x"})
        assert post.status_code == 403
    assert await audit_of(app, actor) == []


def _with_settings(app, settings):
    """``app`` as the web process sees it, with other settings."""

    class Restarted:
        def __getattr__(self, name):
            return settings if name == "settings" else getattr(app, name)

    return Restarted()


async def test_the_database_ties_a_links_holder_to_its_purpose(app):
    """Migration 0024's check: a gallery link has an account and no operator, a dashboard
    link an operator and no account."""
    actor = await customer(app)
    account_id = (await app.core.account(actor)).account_id
    now = utcnow()
    for n, (purpose, holder) in enumerate(
        (
            ("dashboard", {"account_id": account_id}),
            ("gallery", {"operator": "cli"}),
            ("dashboard", {"account_id": account_id, "operator": "cli"}),
            ("gallery", {}),
        )
    ):
        async with app.uow() as uow:
            with pytest.raises(IntegrityError):
                await uow.conn.execute(
                    web_links.insert().values(
                        purpose=purpose,
                        token_sha256=f"{n:064d}",
                        created_at=now,
                        expires_at=now + timedelta(minutes=5),
                        **holder,
                    )
                )


async def test_an_operator_who_erases_themselves_loses_their_dashboard_links(app):
    """/forgetme by an operator's chat identity deletes the dashboard links issued to it
    (they name the platform id); another operator's link is left alone."""
    me = Actor("discord", "4242", "Op", "en")
    await app.core.accept_terms(me, age_confirmed=True)
    await app.core.dashboard_links.link("discord:4242")
    await app.core.dashboard_links.link("telegram:4242")  # another platform's 4242
    challenge = await app.privacy.forget(me)
    await app.privacy.forget(me, challenge.code)
    async with app.uow() as uow:
        left = (await uow.conn.execute(select(web_links.c.operator))).scalars().all()
    assert left == ["telegram:4242"]
