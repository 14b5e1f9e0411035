"""The personal gallery: ``/gallery/t/{token}`` opens a link the bot gave in chat,
``/gallery`` shows the account's images (newest first, paged, filtered by model, searched
in prompts) and ``POST /gallery/delete`` deletes one (the same deletion as /delete).

The token is exchanged for a session cookie and the browser is sent to ``/gallery``
without it (so it stays out of the history and of any Referer). Each request names the
link, never the account, and the core checks the link again: an expired or revoked link
gets the 403 page, which shows nothing. The delete form carries a CSRF token bound to
the session; a POST without it is refused.
"""

from __future__ import annotations

import logging
from urllib.parse import parse_qs, urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from adapters.common.body import BodyTooLarge, read_body
from adapters.web.gallery_cards import cards, cards_html
from adapters.web.pages import Pages
from adapters.web.security import Signer, origin_of, page_headers
from adapters.web.sessions import LinkSessions
from core import Core, NotFound, WebLinkInvalid, utcnow

__all__ = ["gallery_routes"]

log = logging.getLogger("seedream.web.gallery")

COOKIE = "seedream_gallery"
MAX_FORM_BYTES = 4096
MAX_QUERY_CHARS = 200
_NOTICES = {"deleted": "gallery.deleted", "missing": "gallery.missing"}


def gallery_routes(core: Core, pages: Pages, *, secret: bytes, secure: bool) -> list[Route]:
    signer = Signer(secret)
    sessions = LinkSessions(signer, COOKIE, "/gallery", secure)

    def refused(request: Request, lang: str | None = None) -> Response:
        response = pages.refused(lang or pages.language(request))
        sessions.end(response)
        return response

    def redirect(url: str) -> Response:
        return RedirectResponse(url, status_code=303, headers=page_headers())

    async def open_link(request: Request) -> Response:
        try:
            grant = await core.gallery.open(request.path_params["token"])
        except WebLinkInvalid:
            return refused(request)
        response = redirect("/gallery")
        remaining_s = int((grant.expires_at - utcnow()).total_seconds())
        sessions.start(response, grant.link_id, remaining_s)
        return response

    async def show(request: Request) -> Response:
        link_id = sessions.link_id(request)
        if link_id is None:
            return refused(request)
        query = request.query_params
        model = query.get("model", "")[:MAX_QUERY_CHARS] or None
        search = query.get("q", "")[:MAX_QUERY_CHARS]
        cursor = query.get("after", "")[:MAX_QUERY_CHARS] or None
        try:
            page = await core.gallery.page(link_id, model=model, search=search, cursor=cursor)
        except WebLinkInvalid:
            return refused(request)
        lang = pages.language(request, page.language)
        filters = {k: v for k, v in (("model", model or ""), ("q", search)) if v}
        older = (
            "/gallery?" + urlencode({**filters, "after": page.next_cursor})
            if page.next_cursor
            else None
        )
        newest = "/gallery" + ("?" + urlencode(filters) if filters else "")
        origins = {origin_of(i.url) for i in page.items}
        origins |= {origin_of(i.preview_url) for i in page.items if i.preview_url}
        csrf = signer.csrf_token(sessions.session_value(request))
        page_cards = cards(pages, lang, page.items)
        return pages.render(
            "gallery.html",
            lang,
            img_origins=[o for o in origins if o],
            page=page,
            cards=page_cards,
            cards_html=cards_html(pages, lang, page_cards, csrf),
            model=model or "",
            search=search,
            paged=cursor is not None,
            older=older,
            newest=newest,
            notice=_NOTICES.get(query.get("done", "")),
            csrf=csrf,
        )

    async def delete(request: Request) -> Response:
        link_id = sessions.link_id(request)
        if link_id is None:
            return refused(request)
        try:
            body = await read_body(request, MAX_FORM_BYTES)
        except BodyTooLarge:
            return refused(request)
        form = parse_qs(body.decode("utf-8", "replace"), max_num_fields=8)
        csrf = (form.get("csrf") or [""])[0]
        if not signer.csrf_ok(sessions.session_value(request), csrf):
            log.warning("gallery: a delete without a valid CSRF token was refused")
            return pages.refused(pages.language(request))
        image_id = (form.get("image_id") or [""])[0]
        try:
            await core.gallery.delete(link_id, image_id)
        except WebLinkInvalid:
            return refused(request)
        except NotFound:
            return redirect("/gallery?done=missing")
        return redirect("/gallery?done=deleted")

    return [
        Route("/gallery/t/{token}", open_link, methods=["GET"]),
        Route("/gallery", show, methods=["GET"]),
        Route("/gallery/delete", delete, methods=["POST"]),
    ]
