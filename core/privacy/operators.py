"""An operator's own dashboard links, erased with their chat identity.

An operator (``discord:<id>``, ``telegram:<id>``) who erases themselves with /forgetme
leaves dashboard links (``web_links`` rows with ``operator`` set and no account) that
name their platform id. They are credentials, not records: they go. What the operator
did to other accounts (``admin_audit``, grant references in the ledger) is those
accounts' operations record and stays, as documented in docs/privacy.md.
"""

from __future__ import annotations

from sqlalchemy import delete

from core.db.tables import web_links
from core.privacy.registry import ErasureContext, ExportContext

OPERATOR_PLATFORMS = ("discord", "telegram")


class OperatorLinksParticipant:
    """Deletes the dashboard links issued to the subject's identities as an operator."""

    name = "operator_links"
    tables: tuple[str, ...] = ()  # web_links by account belongs to the core participant
    external = False
    order = 60

    async def export(self, ctx: ExportContext) -> None:
        """Nothing: a dashboard link is a short-lived credential, not data about the user."""

    async def erase(self, ctx: ErasureContext) -> dict[str, int]:
        assert ctx.conn is not None
        operators = [
            f"{platform}:{user_id}"
            for platform, user_id in ctx.subject.identities
            if platform in OPERATOR_PLATFORMS
        ]
        if operators:
            await ctx.conn.execute(
                delete(web_links).where(
                    web_links.c.account_id.is_(None), web_links.c.operator.in_(operators)
                )
            )
        return {}
