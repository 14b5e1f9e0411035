"""The account commands of the core facade: terms and the welcome grant, preferences
and the effective /imagine defaults, look-ups, and the operator's grant and ban. Mixed into
``core.facade.Core``, which provides what :class:`AccountHost` declares (the type checker
holds both sides)."""

from __future__ import annotations

import logging
import uuid
from typing import Protocol

from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from core import ledger as credits
from core.accounts import store as acc
from core.accounts.audit import checked_operator, record_action
from core.accounts.preferences import checked_aspect, checked_language
from core.catalog import Catalog, ModelSpec
from core.db.engine import UnitOfWorkFactory
from core.errors import (
    AgeRestricted,
    DebitExceedsBalance,
    InsufficientCredits,
    InvalidOption,
    ItemKind,
    ModelUnavailable,
    NotFound,
    UnknownModel,
)
from core.jobs.requests import effective_defaults
from core.ledger import LedgerOutcome
from core.privacy.abuse import WELCOME_GRANT, AbuseHasher
from core.settings import CoreSettings
from core.text.catalogue import DEFAULT_LANGUAGE, effective_locale
from core.types import Acceptance, AccountView, Actor, EffectiveSettings, TermsView

log = logging.getLogger("seedream.core")

# The most one operator grant or debit moves (the CLI and Discord's /admin state it).
MAX_ADMIN_GRANT_CREDITS = 10**9


class AccountHost(Protocol):
    catalog: Catalog
    default_model_id: str
    _uow: UnitOfWorkFactory
    _abuse: AbuseHasher

    @property
    def settings(self) -> CoreSettings: ...

    def models(self, *, nsfw_allowed: bool = True) -> list[ModelSpec]: ...

    def _servable(self, model: ModelSpec) -> bool: ...

    async def _usable_account(self, conn: AsyncConnection, actor: Actor) -> Row: ...


class AccountCommands:
    """Mixed into ``core.facade.Core``."""

    async def terms(self: AccountHost, actor: Actor) -> TermsView:
        """Terms status for ``actor`` (creates the account on first contact)."""
        async with self._uow() as uow:
            row = await acc.get_or_create_account(uow.conn, actor)
            await uow.commit()
        return TermsView(
            policy_version=self.settings.policy_version,
            accepted=row.terms_version == self.settings.policy_version
            and row.age_confirmed_at is not None,
        )

    async def accept_terms(self: AccountHost, actor: Actor, *, age_confirmed: bool) -> Acceptance:
        """Record acceptance of the current terms and the 13+ confirmation; the first
        acceptance of an account also grants the catalogue's welcome credits, once, and
        never to an identity that had them before an erasure (``core.privacy.abuse``).

        Raises:
            InvalidOption: ``age_confirmed`` is false (field ``age``).
            Banned: the account is banned.
        """
        if not age_confirmed:
            raise InvalidOption(field="age", reason="age_required")
        async with self._uow() as uow:
            row = await acc.get_or_create_account(uow.conn, actor)
            if row.banned_at is not None:
                acc.require_usable(row._mapping, self.settings.policy_version)
            await acc.record_acceptance(uow.conn, row.id, self.settings.policy_version)
            welcome = 0
            if self.catalog.welcome_grant_credits > 0 and not await self._abuse.already_had(
                uow.conn, row.id, WELCOME_GRANT
            ):
                outcome = await credits.apply_entry(
                    uow.conn,
                    account_id=row.id,
                    amount_credits=self.catalog.welcome_grant_credits,
                    reason=credits.Reason.WELCOME,
                    reference=f"account:{row.id}",
                )
                if outcome.applied:
                    welcome = self.catalog.welcome_grant_credits
                    await self._abuse.record(uow.conn, row.id, WELCOME_GRANT)
            row = await acc.account_by_id(uow.conn, row.id)
            await uow.commit()
        return Acceptance(account=acc.to_view(row), welcome_credits=welcome)

    async def account(self: AccountHost, actor: Actor) -> AccountView:
        async with self._uow() as uow:
            row = await acc.get_or_create_account(uow.conn, actor)
            await uow.commit()
        return acc.to_view(row)

    async def set_preferences(
        self: AccountHost,
        actor: Actor,
        *,
        model_id: str | None = None,
        aspect_ratio: str | None = None,
        language: str | None = None,
        languages: tuple[str, ...] = ("en",),
        as_file: bool | None = None,
        private_replies: bool | None = None,
    ) -> AccountView:
        """Change the defaults used when /imagine leaves an option out; ``None`` keeps a
        value as it is.

        Raises:
            TermsNotAccepted, Banned, UnknownModel, ModelUnavailable (served by no
            provider here), InvalidOption (aspect not offered by the default model;
            language not available), AgeRestricted (an ``nsfw`` model
            where ``actor`` may not use it).
        """
        async with self._uow() as uow:
            row = await self._usable_account(uow.conn, actor)
            values: dict[str, object] = {}
            model = self.catalog.model(model_id or row.default_model or "") or self.catalog.model(
                self.default_model_id
            )
            assert model is not None  # default_model_id is a catalogue model (see __init__)
            if model_id is not None:
                chosen = self.catalog.model(model_id)
                available = ", ".join(m.id for m in self.models())
                if chosen is None:
                    raise UnknownModel(model_id=model_id[:64], available=available)
                if not self._servable(chosen):
                    raise ModelUnavailable(model_id=chosen.id, available=available)
                if chosen.nsfw and not actor.nsfw_allowed:  # a default unusable here
                    raise AgeRestricted(model_id=chosen.id)
                values["default_model"] = model.id
            if aspect_ratio is not None:
                values["default_aspect"] = checked_aspect(model, aspect_ratio)
            if language is not None:
                values["language"] = checked_language(language, languages)
            if as_file is not None:
                values["deliver_as_file"] = bool(as_file)
            if private_replies is not None:
                values["private_replies"] = bool(private_replies)
            await acc.set_preferences(uow.conn, row.id, **values)
            row = await acc.account_by_id(uow.conn, row.id)
            await uow.commit()
        return acc.to_view(row)

    def effective_settings(self: AccountHost, account: AccountView) -> EffectiveSettings:
        """The defaults ``account``'s next /imagine gets when it names no model or aspect
        (``core.jobs.requests.effective_defaults``: a stale preference falls back to the
        deployment's default model and that model's default aspect), and its language."""
        model, aspect = effective_defaults(
            self.catalog,
            default_model=account.default_model,
            default_aspect=account.default_aspect,
            fallback_model=self.default_model_id,
            servable=self._servable,
        )
        return EffectiveSettings(
            model_id=model.id,
            aspect_ratio=aspect,
            aspect_ratios=model.aspect_ratios,
            language=account.language or DEFAULT_LANGUAGE,
        )

    async def find_account(self: AccountHost, actor: Actor) -> AccountView | None:
        """The account behind ``actor``, without creating one."""
        async with self._uow() as uow:
            row = await acc.find_account(uow.conn, actor)
        return acc.to_view(row) if row is not None else None

    async def reply_locale(self: AccountHost, actor: Actor) -> str | None:
        """The locale to answer ``actor`` in (``effective_locale``): the language chosen
        in /settings, else the platform's (``actor.locale``). One read, no account
        created. It never raises: an identity no account can have, or a failed read
        (logged by exception type only), answers in the platform's locale."""
        try:
            async with self._uow() as uow:
                language = await acc.stored_language(uow.conn, actor)
        except NotFound:
            language = None
        except Exception as exc:
            log.warning("stored language unreadable, platform locale used: %s", type(exc).__name__)
            language = None
        return effective_locale(language, actor.locale)

    async def private_reply_users(self: AccountHost, platform: str) -> frozenset[str]:
        """Who on ``platform`` prefers private replies, as platform user ids: an adapter
        keeps this in memory to choose a private acknowledgement without a database read
        on its acknowledgement path."""
        async with self._uow() as uow:
            return await acc.private_reply_users(uow.conn, platform)

    async def admin_grant(
        self: AccountHost,
        actor: Actor,
        amount_credits: int,
        *,
        reason: str,
        operator: str,
        reference: str | None = None,
        create_account: bool = True,
    ) -> LedgerOutcome:
        """Grant (positive) or take back (negative) credits; ``reference`` makes a retried
        grant a no-op. Operators (the CLI, Discord's /admin) pass ``create_account=False``:
        a grant to someone who never used the bot is a typo, not a new account.
        ``operator`` (``cli`` or ``<platform>:<user id>``) goes to the audit row that
        names the ledger entry, written with it (a replay writes neither).

        Raises:
            InvalidOption: a zero amount, one beyond ``MAX_ADMIN_GRANT_CREDITS`` either way,
                or an empty reason.
            NotFound: ``create_account`` is false and ``actor`` has no account.
            DebitExceedsBalance: taking back more than the balance (nothing changes).
        """
        if amount_credits == 0 or abs(amount_credits) > MAX_ADMIN_GRANT_CREDITS:
            raise InvalidOption(
                field="credits", reason="admin_credits", max_credits=MAX_ADMIN_GRANT_CREDITS
            )
        if not reason.strip():
            raise InvalidOption(field="reason", reason="reason_required")
        operator = checked_operator(operator)
        kind = credits.Reason.ADMIN_GRANT if amount_credits > 0 else credits.Reason.ADMIN_DEBIT
        reference = reference or uuid.uuid4().hex
        async with self._uow() as uow:
            row = await _operator_account(uow.conn, actor, create_account)
            try:
                outcome = await credits.apply_entry(
                    uow.conn,
                    account_id=row.id,
                    amount_credits=amount_credits,
                    reason=kind,
                    reference=reference,
                    note=reason.strip()[:500],
                )
            except InsufficientCredits as exc:
                raise DebitExceedsBalance(
                    balance_credits=exc.balance_credits, debit_credits=-amount_credits
                ) from None
            if outcome.applied:
                await record_action(
                    uow.conn,
                    account_id=row.id,
                    operator=operator,
                    action="grant" if amount_credits > 0 else "debit",
                    note=reason.strip()[:500],
                    amount_credits=amount_credits,
                    ledger_reason=kind,
                    ledger_reference=reference,
                )
            await uow.commit()
        return outcome

    async def admin_ban(
        self: AccountHost,
        actor: Actor,
        reason: str | None,
        *,
        operator: str,
        create_account: bool = True,
    ) -> AccountView:
        """Ban with a reason, or unban with ``None``; ``operator`` (``cli`` or
        ``<platform>:<user id>``) goes to the audit row written with it.

        Raises:
            NotFound: ``create_account`` is false and ``actor`` has no account.
        """
        operator = checked_operator(operator)
        async with self._uow() as uow:
            row = await _operator_account(uow.conn, actor, create_account)
            await acc.set_ban(uow.conn, row.id, reason)
            await record_action(
                uow.conn,
                account_id=row.id,
                operator=operator,
                action="ban" if reason is not None else "unban",
                note=reason,
            )
            row = await acc.account_by_id(uow.conn, row.id)
            await uow.commit()
        return acc.to_view(row)


async def _operator_account(conn: AsyncConnection, actor: Actor, create: bool) -> Row:
    if create:
        return await acc.get_or_create_account(conn, actor)
    row = await acc.find_account(conn, actor)
    if row is None:
        raise NotFound(what=ItemKind.ACCOUNT)
    return row
