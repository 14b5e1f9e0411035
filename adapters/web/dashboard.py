"""The operator dashboard: ``/dashboard/t/{token}`` opens a link an operator got from
``seedream admin dashboard-link`` or ``/admin dashboard``; ``/dashboard`` shows the
overview (``adapters.web.dashboard_view`` lays it out) and, with ``?platform=&user=``,
one account; ``POST /dashboard/grant`` and ``POST /dashboard/ban`` change it.

As with the gallery, the token is exchanged for a session cookie (its own name, path
and signature, so a gallery session never opens the dashboard and the reverse), every
request names the link and the core checks it again (expired or revoked: the 403 page,
which shows nothing), and every POST carries the session's CSRF token. Bad input (an
amount outside 1..MAX_ADMIN_GRANT_CREDITS, no reason) gets a localised message and
changes nothing. The audit names the operator as ``web:<operator>``. An operator taken
out of the settings (``SEEDREAM_DISCORD_ADMIN_IDS``, ``SEEDREAM_TELEGRAM_ADMIN_IDS``) is
refused at once, link or not; ``cli`` is whoever can run the ``seedream`` command.
"""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Callable
from urllib.parse import parse_qs, urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from adapters.common.body import BodyTooLarge, read_body
from adapters.web.dashboard_view import overview_context
from adapters.web.pages import Pages
from adapters.web.security import Signer, page_headers
from adapters.web.sessions import LinkSessions
from core import (
    MAX_ADMIN_GRANT_CREDITS,
    Actor,
    Core,
    InvalidOption,
    NotFound,
    OperatorGrant,
    WebLinkInvalid,
    utcnow,
)

__all__ = ["dashboard_routes"]

log = logging.getLogger("seedream.web.dashboard")

COOKIE = "seedream_dashboard"
MAX_FORM_BYTES = 4096
MAX_USER_ID_CHARS = 64
MAX_REASON_CHARS = 500
PLATFORMS = ("discord", "telegram", "console")
_REFERENCE = re.compile(r"[0-9a-f]{32}")
_WHOLE = re.compile(r"[0-9]{1,10}")
_NOTICES = {
    "granted": "dashboard.granted",
    "already": "dashboard.already_granted",
    "banned": "dashboard.banned_done",
    "unbanned": "dashboard.unbanned_done",
}
_PROBLEMS = {
    "amount": "dashboard.amount_invalid",
    "reason": "dashboard.reason_required",
    "missing": "dashboard.not_found",
    "user": "dashboard.user_invalid",
}


def dashboard_routes(
    core: Core,
    pages: Pages,
    *,
    secret: bytes,
    secure: bool,
    operator_allowed: Callable[[str], bool] = lambda operator: operator == "cli",
) -> list[Route]:
    """``operator_allowed`` says whether an operator may still use the dashboard (an id
    taken out of the operators' settings ends its sessions, not only its next link)."""
    signer = Signer(secret)
    sessions = LinkSessions(signer, COOKIE, "/dashboard", secure)
    access = core.dashboard_links

    def refused(request: Request) -> Response:
        response = pages.refused(pages.language(request))
        sessions.end(response)
        return response

    def redirect(url: str) -> Response:
        return RedirectResponse(url, status_code=303, headers=page_headers())

    async def session_grant(request: Request) -> OperatorGrant | None:
        """The session's link, if it still works for an allowed operator."""
        link_id = sessions.link_id(request)
        if link_id is None:
            return None
        try:
            grant = await access.check(link_id)
        except WebLinkInvalid:
            return None
        return grant if operator_allowed(grant.operator) else None

    async def session_link(request: Request) -> int | None:
        grant = await session_grant(request)
        return None if grant is None else grant.link_id

    async def open_link(request: Request) -> Response:
        try:
            grant = await access.open(request.path_params["token"])
        except WebLinkInvalid:
            return refused(request)
        if not operator_allowed(grant.operator):
            log.warning("dashboard: a link of an operator no longer allowed was refused")
            return refused(request)
        response = redirect("/dashboard")
        remaining_s = int((grant.expires_at - utcnow()).total_seconds())
        sessions.start(response, grant.link_id, remaining_s)
        return response

    async def show(request: Request) -> Response:
        grant = await session_grant(request)
        if grant is None:
            return refused(request)
        link_id = grant.link_id
        query = request.query_params
        platform = query.get("platform", "")
        user_id = query.get("user", "").strip()[:MAX_USER_ID_CHARS]
        problem = _PROBLEMS.get(query.get("problem", ""))
        try:
            overview = await access.overview(link_id)
            account = None
            if platform in PLATFORMS and user_id:
                account = await access.account(link_id, platform, user_id)
                if account is None and problem is None:
                    problem = _PROBLEMS["missing"]
        except WebLinkInvalid:
            return refused(request)
        lang = pages.language(request)
        return pages.render(
            "dashboard.html",
            lang,
            operator=grant.operator,
            link_expires_at=grant.expires_at,
            platforms=PLATFORMS,
            platform=platform if platform in PLATFORMS else PLATFORMS[0],
            user_id=user_id,
            account=account,
            notice=_NOTICES.get(query.get("done", "")),
            problem=problem,
            max_credits=MAX_ADMIN_GRANT_CREDITS,
            csrf=signer.csrf_token(sessions.session_value(request)),
            reference=secrets.token_hex(16),  # one per form shown: a resubmit grants once
            **overview_context(overview, pages.messages, lang),
        )

    async def form_of(request: Request) -> dict[str, str] | None:
        """The POST's fields, or None (too large, or no valid CSRF token)."""
        try:
            body = await read_body(request, MAX_FORM_BYTES)
        except BodyTooLarge:
            return None
        parsed = parse_qs(body.decode("utf-8", "replace"), max_num_fields=16)
        form = {k: v[0] for k, v in parsed.items()}
        if not signer.csrf_ok(sessions.session_value(request), form.get("csrf")):
            log.warning("dashboard: a change without a valid CSRF token was refused")
            return None
        return form

    def back(form: dict[str, str], **outcome: str) -> Response:
        target = {"platform": form.get("platform", ""), "user": form.get("user", "")}
        return redirect("/dashboard?" + urlencode({**target, **outcome}) + "#account")

    def actor_of(form: dict[str, str]) -> Actor | None:
        platform, user_id = form.get("platform", ""), form.get("user", "").strip()
        if platform not in PLATFORMS or not user_id or len(user_id) > MAX_USER_ID_CHARS:
            return None
        return Actor(platform, user_id)

    async def change_of(
        request: Request,
    ) -> tuple[int, dict[str, str], Actor] | Response:
        """A state change's session link, form and account, or the answer refusing it
        (no session, no valid CSRF token, no usable platform id)."""
        link_id = await session_link(request)
        if link_id is None:
            return refused(request)
        form = await form_of(request)
        if form is None:
            return pages.refused(pages.language(request))
        actor = actor_of(form)
        if actor is None:
            return back(form, problem="user")
        return link_id, form, actor

    async def grant(request: Request) -> Response:
        change = await change_of(request)
        if isinstance(change, Response):
            return change
        link_id, form, actor = change
        amount = parse_credits(form.get("credits", ""))
        if amount is None:
            return back(form, problem="amount")
        reason = form.get("reason", "").strip()[:MAX_REASON_CHARS]
        if not reason:
            return back(form, problem="reason")
        reference = form.get("reference", "")
        if not _REFERENCE.fullmatch(reference):
            reference = secrets.token_hex(16)
        try:
            outcome = await access.grant(
                link_id, actor, amount, reason=reason, reference=f"web:{reference}"
            )
        except WebLinkInvalid:
            return refused(request)
        except NotFound:
            return back(form, problem="missing")
        except InvalidOption:
            return back(form, problem="amount")
        return back(form, done="granted" if outcome.applied else "already")

    async def ban(request: Request) -> Response:
        change = await change_of(request)
        if isinstance(change, Response):
            return change
        link_id, form, actor = change
        lifting = form.get("action") == "unban"
        reason = form.get("reason", "").strip()[:MAX_REASON_CHARS]
        if not lifting and not reason:
            return back(form, problem="reason")
        try:
            await access.ban(link_id, actor, None if lifting else reason)
        except WebLinkInvalid:
            return refused(request)
        except NotFound:
            return back(form, problem="missing")
        return back(form, done="unbanned" if lifting else "banned")

    return [
        Route("/dashboard/t/{token}", open_link, methods=["GET"]),
        Route("/dashboard", show, methods=["GET"]),
        Route("/dashboard/grant", grant, methods=["POST"]),
        Route("/dashboard/ban", ban, methods=["POST"]),
    ]


def parse_credits(text: str) -> int | None:
    """A whole number of credits from 1 to ``MAX_ADMIN_GRANT_CREDITS`` (as the CLI
    allows, but only to give: taking back is the CLI's), else None."""
    text = text.strip()
    if not _WHOLE.fullmatch(text):
        return None
    amount = int(text)
    return amount if 1 <= amount <= MAX_ADMIN_GRANT_CREDITS else None
