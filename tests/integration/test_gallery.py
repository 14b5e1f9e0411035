"""/gallery on SQLite and PostgreSQL: personal links (issued, opened, expired, revoked by
a newer link and by /forgetme, forged), the web session they become (cookie, headers,
CSRF), one user's session against another's images, and the pages' paging, model
filter and prompt search."""

from __future__ import annotations

import dataclasses
import io
import json
import re
import zipfile
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import select, update

from adapters.web.app import create_web_app
from core import WebLinkInvalid
from core.accounts.web_links import token_sha256
from core.clock import utcnow
from core.db.tables import accounts, images, web_links
from tests.support.gallery_seed import new_user, seed_images

CSRF = re.compile(r'name="csrf" value="([0-9a-f]+)"')


def token_of(url: str) -> str:
    assert "/gallery/t/" in url
    return url.rsplit("/", 1)[1]


@pytest.fixture
async def web(app) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=create_web_app(app))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


async def open_session(web: httpx.AsyncClient, app, actor) -> str:
    """Open a fresh gallery link in ``web`` (its cookie jar keeps the session)."""
    link = await app.core.gallery.link(actor)
    response = await web.get(f"/gallery/t/{token_of(link.url)}")
    assert response.status_code == 303
    return token_of(link.url)


async def test_a_link_opens_its_account_until_a_newer_link_revokes_it(app):
    actor, account_id = await new_user(app)
    first = await app.core.gallery.link(actor)
    assert first.url.startswith("http://127.0.0.1:9/gallery/t/")
    assert first.ttl_s == 24 * 3600
    grant = await app.core.gallery.open(token_of(first.url))
    assert grant.account_id == account_id

    second = await app.core.gallery.link(actor)

    with pytest.raises(WebLinkInvalid):
        await app.core.gallery.open(token_of(first.url))
    with pytest.raises(WebLinkInvalid):
        await app.core.gallery.check(grant.link_id)
    assert (await app.core.gallery.open(token_of(second.url))).account_id == account_id
    async with app.uow() as uow:  # only hashes are stored, never a token
        stored = set((await uow.conn.execute(select(web_links.c.token_sha256))).scalars())
    assert token_of(first.url) not in stored and token_of(second.url) not in stored


async def test_an_expired_or_forged_link_is_refused_and_the_page_shows_nothing(app, web):
    actor, account_id = await new_user(app)
    await seed_images(app, account_id, ["a secret red fox"])
    link = await app.core.gallery.link(actor)
    async with app.uow() as uow:
        await uow.conn.execute(
            update(web_links)
            .values(expires_at=utcnow() - timedelta(seconds=1))
            .where(web_links.c.account_id == account_id)
        )
        await uow.commit()

    for token in (token_of(link.url), "forged-" + "x" * 36, "y" * 500):
        with pytest.raises(WebLinkInvalid):
            await app.core.gallery.open(token[:64])
        response = await web.get(f"/gallery/t/{token}")
        assert response.status_code == 403
        assert "red fox" not in response.text and "<img" not in response.text
        assert "does not work" in response.text
        assert response.headers["cache-control"] == "no-store"
        assert "set-cookie" not in response.headers or "Max-Age=0" in response.headers.get(
            "set-cookie", ""
        )
    response = await web.get("/gallery")  # no session at all
    assert response.status_code == 403 and "red fox" not in response.text


async def test_the_session_cookie_and_the_page_headers(app, web):
    actor, account_id = await new_user(app)
    await seed_images(app, account_id, ["a blue heron at dawn"])
    link = await app.core.gallery.link(actor)

    opened = await web.get(f"/gallery/t/{token_of(link.url)}")

    assert opened.status_code == 303
    assert opened.headers["location"] == "/gallery"  # the token is left behind
    cookie = opened.headers["set-cookie"]
    assert cookie.startswith("seedream_gallery=")
    assert token_of(link.url) not in cookie
    for attribute in ("HttpOnly", "Path=/gallery", "SameSite=lax"):
        assert attribute in cookie
    assert "Secure" not in cookie  # the public address is plain http
    page = await web.get("/gallery")
    assert page.status_code == 200
    assert "a blue heron at dawn" in page.text
    csp = page.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "style-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp and "base-uri 'none'" in csp
    assert "form-action 'self'" in csp and "img-src 'self'" in csp
    assert "script" not in csp and "<script" not in page.text
    assert page.headers["referrer-policy"] == "no-referrer"
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["x-content-type-options"] == "nosniff"
    css = await web.get("/static/site.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")


async def test_the_cookie_is_secure_behind_https(app):
    https = app.settings.model_copy(update={"public_base_url": "https://gallery.example"})
    web_app = create_web_app(dataclasses.replace(app, settings=https))
    actor, _ = await new_user(app)
    link = await app.core.gallery.link(actor)
    transport = httpx.ASGITransport(app=web_app)
    async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as client:
        opened = await client.get(f"/gallery/t/{token_of(link.url)}")
    assert opened.status_code == 303 and "Secure" in opened.headers["set-cookie"]


async def test_the_export_lists_the_links_without_tokens_and_forgetme_ends_the_session(app, web):
    actor, account_id = await new_user(app)
    await seed_images(app, account_id, ["a lighthouse in fog"])
    token = await open_session(web, app, actor)
    assert (await web.get("/gallery")).status_code == 200

    export = await app.privacy.export(actor)
    key = export.url.split("/media/", 1)[1].split("?", 1)[0]
    archive = zipfile.ZipFile(io.BytesIO(await app.storage.get(key)))
    raw = archive.read("account.json").decode()
    (listed,) = json.loads(raw)["web_links"]
    assert set(listed) == {"created_at", "expires_at", "revoked_at"}
    assert listed["revoked_at"] is None
    assert token not in raw and token_sha256(token) not in raw

    challenge = await app.privacy.forget(actor)
    await app.privacy.forget(actor, challenge.code)

    response = await web.get("/gallery")
    assert response.status_code == 403 and "lighthouse" not in response.text
    async with app.uow() as uow:
        left = (
            await uow.conn.execute(select(web_links).where(web_links.c.account_id == account_id))
        ).all()
    assert left == []


async def test_delete_needs_the_csrf_token_and_deletes_as_delete_does(app, web):
    actor, account_id = await new_user(app)
    mine, kept = await seed_images(app, account_id, ["an old oak", "a young birch"])
    _, other_id = await new_user(app)
    [theirs] = await seed_images(app, other_id, ["someone else's sunset"])
    await open_session(web, app, actor)
    csrf = CSRF.search((await web.get("/gallery")).text).group(1)

    for form in ({"image_id": mine}, {"image_id": mine, "csrf": "0" * 64}):
        refused = await web.post("/gallery/delete", data=form)
        assert refused.status_code == 403
    done = await web.post("/gallery/delete", data={"image_id": mine, "csrf": csrf})
    assert done.status_code == 303 and done.headers["location"] == "/gallery?done=deleted"
    # Another account's image: the same answer as an unknown one, and it stays.
    missing = await web.post("/gallery/delete", data={"image_id": theirs, "csrf": csrf})
    assert missing.headers["location"] == "/gallery?done=missing"

    async with app.uow() as uow:
        deleted = dict((await uow.conn.execute(select(images.c.id, images.c.deleted_at))).all())
    assert deleted[mine] is not None
    assert deleted[kept] is None and deleted[theirs] is None
    page = await web.get("/gallery?done=deleted")
    assert "an old oak" not in page.text and "a young birch" in page.text
    assert "was deleted" in page.text


async def test_a_session_never_shows_another_users_images(app, web):
    alice, alice_id = await new_user(app)
    bob, bob_id = await new_user(app)
    await seed_images(app, alice_id, ["alice's castle"])
    await seed_images(app, bob_id, ["bob's submarine"])
    bob_link = await app.core.gallery.link(bob)
    bob_grant = await app.core.gallery.open(token_of(bob_link.url))
    await open_session(web, app, alice)

    page = await web.get("/gallery")
    assert "alice&#39;s castle" in page.text and "submarine" not in page.text
    # A cookie naming Bob's link without the server's signature is refused.
    web.cookies.clear()
    web.cookies.set("seedream_gallery", f"{bob_grant.link_id}.{'0' * 64}")
    forged = await web.get("/gallery")
    assert forged.status_code == 403 and "submarine" not in forged.text


async def test_pages_newest_first_with_a_model_filter_and_a_prompt_search(app):
    actor, account_id = await new_user(app)
    link = await app.core.gallery.link(actor)
    link_id = (await app.core.gallery.open(token_of(link.url))).link_id
    start = utcnow()
    older = await seed_images(app, account_id, [f"river {n}" for n in range(30)], start=start)
    tied = await seed_images(  # same instant: the id breaks the tie
        app,
        account_id,
        ["tie a", "tie b", "tie c"],
        start=start + timedelta(minutes=5),
        same_time=True,
        model="gpt-image",
    )
    special = await seed_images(
        app,
        account_id,
        ["A Red FOX at 50% zoom", "a red fox at 50 zoom", "snake_case fox"],
        start=start - timedelta(days=1),
    )

    seen: list[str] = []
    cursor = None
    while True:
        page = await app.core.gallery.page(link_id, cursor=cursor, limit=7)
        seen += [i.image_id for i in page.items]
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert seen == sorted(tied, reverse=True) + older + special
    assert page.models == ["gpt-image", "preview"]

    only = await app.core.gallery.page(link_id, model="gpt-image")
    assert sorted(i.image_id for i in only.items) == sorted(tied)
    item = only.items[0]
    assert item.model_id == "gpt-image" and (item.width, item.height) == (512, 512)
    assert item.size_bytes == 123_456 and item.url.startswith("http://127.0.0.1:9/media/")

    async def found(search: str) -> list[str]:
        return [i.image_id for i in (await app.core.gallery.page(link_id, search=search)).items]

    assert await found("red FOX") == special[:2]  # any case
    assert await found("50%") == special[:1]  # % is a character, not a wildcard
    assert await found("e_c") == special[2:]  # and so is _
    assert await found("no such words") == []


async def test_the_page_checks_its_link_in_its_own_statement(app):
    """The page reads the link and the images in one SELECT: a link that stopped
    working shows nothing even though its account has images to show."""
    actor, account_id = await new_user(app)
    await seed_images(app, account_id, ["a quiet harbour"])
    async with app.uow() as uow:  # as /settings language de stores it
        await uow.conn.execute(
            update(accounts).values(language="de").where(accounts.c.id == account_id)
        )
        await uow.commit()
    link = await app.core.gallery.link(actor)
    grant = await app.core.gallery.open(token_of(link.url))
    page = await app.core.gallery.page(grant.link_id)
    assert [i.prompt for i in page.items] == ["a quiet harbour"]
    assert page.language == "de" and page.link_expires_at == grant.expires_at
    empty = await app.core.gallery.page(grant.link_id, search="no such words")
    assert empty.items == [] and empty.models == ["preview"] and empty.language == "de"

    async def change(table, values, where) -> None:
        async with app.uow() as uow:
            await uow.conn.execute(update(table).values(**values).where(where))
            await uow.commit()

    async def refused() -> bool:
        for search in (None, "no such words"):  # with rows to show, and without
            with pytest.raises(WebLinkInvalid):
                await app.core.gallery.page(grant.link_id, search=search)
        return True

    now = utcnow()
    await change(accounts, {"banned_at": now}, accounts.c.id == account_id)
    assert await refused()
    await change(accounts, {"banned_at": None}, accounts.c.id == account_id)
    assert (await app.core.gallery.page(grant.link_id)).items  # unbanned: works again
    await change(web_links, {"revoked_at": now}, web_links.c.id == grant.link_id)
    assert await refused()
    await change(
        web_links, {"revoked_at": None, "expires_at": now}, web_links.c.id == grant.link_id
    )
    assert await refused()


async def test_the_model_filter_follows_new_images_and_deletions(app):
    actor, account_id = await new_user(app)
    await seed_images(app, account_id, ["a pine", "a larch"], start=utcnow() - timedelta(hours=1))
    link = await app.core.gallery.link(actor)
    link_id = (await app.core.gallery.open(token_of(link.url))).link_id
    assert (await app.core.gallery.page(link_id)).models == ["preview"]

    # A new image of another model (made by a worker, in any process) shows at once.
    (made,) = await seed_images(app, account_id, ["a cedar"], model="gpt-image")
    assert (await app.core.gallery.page(link_id)).models == ["gpt-image", "preview"]
    # So does the deletion of its only image through the gallery.
    await app.core.gallery.delete(link_id, made)
    assert (await app.core.gallery.page(link_id)).models == ["preview"]

    # A deletion made elsewhere (chat's /delete, the retention) shows once the cached
    # list is older than its time to live.
    (other,) = await seed_images(app, account_id, ["a yew"], model="flux-schnell")
    assert (await app.core.gallery.page(link_id)).models == ["flux-schnell", "preview"]
    async with app.uow() as uow:
        await uow.conn.execute(
            update(images).values(deleted_at=utcnow()).where(images.c.id == other)
        )
        await uow.commit()
    app.core.gallery.model_lists.ttl_s = 0.0  # as if the time to live had passed
    app.core.gallery.model_lists.drop(account_id)  # the entry made with the old one
    assert (await app.core.gallery.page(link_id)).models == ["preview"]
