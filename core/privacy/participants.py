"""The core's own privacy participants: the account (identities, preferences, consents),
the ledger, generations (jobs and images), exports, object storage and Redis keys.

Registered by :func:`register_core_participants`; billing adds its own next to them.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.engine import Row

from core.db.tables import (
    accounts,
    admin_audit,
    consents,
    exports,
    identities,
    images,
    jobs,
    ledger_entries,
    link_codes,
    privacy_confirmations,
    web_links,
)
from core.ledger import Reason, apply_entry
from core.privacy.external import (
    InProcessLimitsParticipant,
    RedisParticipant,
    StorageParticipant,
    export_prefix,
    image_prefix,
)
from core.privacy.operators import OperatorLinksParticipant
from core.privacy.registry import (
    ErasureContext,
    ExportContext,
    PrivacyRegistry,
    TableParticipant,
    json_rows,
    json_value,
)
from core.privacy.uploads import UploadsParticipant
from core.storage.port import ObjectStore

if TYPE_CHECKING:
    from redis.asyncio import Redis

    from core.messaging.keys import RedisKeys
    from core.messaging.limits import RateLimiter


__all__ = ["export_prefix", "image_prefix", "register_core_participants"]


class AccountParticipant:
    """accounts, identities, consents and pending confirmations. Erased last: the
    account row itself is deleted (with it the preferences and ``analytics_id``, the
    pseudonymous id of product analytics), so a returning user starts as a new account."""

    name = "account"
    count_keys: tuple[str, ...] = (
        "consents",
        "confirmations",
        "identities",
        "accounts",
    )  # what erase() counts
    tables = ("accounts", "identities", "consents", "privacy_confirmations")
    external = False
    order = 100

    async def export(self, ctx: ExportContext) -> None:
        account_id = ctx.subject.account_id
        row = (await ctx.conn.execute(select(accounts).where(accounts.c.id == account_id))).one()
        ctx.add_json(
            "account.json",
            "profile",
            {
                "account_id": row.id,
                "created_at": json_value(row.created_at),
                "plan": row.plan,
                "balance_credits": row.balance_credits,
                "banned": row.banned_at is not None,
            },
        )
        ctx.add_json(
            "account.json",
            "preferences",
            {
                "language": row.language,
                "default_model": row.default_model,
                "default_aspect": row.default_aspect,
                "training_opt_in": bool(row.training_opt_in),
                "private_replies": bool(row.private_replies),
                # Product analytics (opt-in) and the pseudonymous id its events carry.
                "analytics_opt_in": row.analytics_id is not None,
                "analytics_id": row.analytics_id,
            },
        )
        ctx.add_json(
            "account.json",
            "terms",
            {
                "policy_version": row.terms_version,
                "accepted_at": json_value(row.terms_accepted_at),
                "age_13_plus_confirmed_at": json_value(row.age_confirmed_at),
            },
        )
        found = await ctx.conn.execute(
            select(identities).where(identities.c.account_id == account_id)
        )
        ctx.add_json("account.json", "identities", json_rows(found, skip=("id", "account_id")))
        found = await ctx.conn.execute(
            select(consents).where(consents.c.account_id == account_id).order_by(consents.c.id)
        )
        ctx.add_json("account.json", "consents", json_rows(found, skip=("id", "account_id")))

    async def erase(self, ctx: ErasureContext) -> dict[str, int]:
        assert ctx.conn is not None
        counts = {}
        for name, table in (
            ("consents", consents),
            ("confirmations", privacy_confirmations),
            ("identities", identities),
        ):
            result = await ctx.conn.execute(
                delete(table).where(table.c.account_id == ctx.account_id)
            )
            counts[name] = result.rowcount
        result = await ctx.conn.execute(delete(accounts).where(accounts.c.id == ctx.account_id))
        counts["accounts"] = result.rowcount
        return counts


class LedgerParticipant:
    """The credit ledger. Payment records (the reasons billing registers as payment
    reasons) are kept for the law, pseudonymised: they move to the erasure's pseudonym
    account, their free-text note cleared, and one closing entry brings that pseudonym's
    balance to zero. Every other entry (spends, refunds, grants) is deleted with the
    account, so the conservation invariant (balance == sum of entries, per account and
    overall) holds before and after."""

    name = "ledger"
    count_keys: tuple[str, ...] = (
        "ledger_entries_deleted",
        "payment_records_pseudonymised",
    )  # what erase() counts
    tables = ("ledger_entries",)
    external = False
    order = 80

    def __init__(self, registry: PrivacyRegistry) -> None:
        self._registry = registry

    async def export(self, ctx: ExportContext) -> None:
        account_id = ctx.subject.account_id
        balance = await ctx.conn.scalar(
            select(accounts.c.balance_credits).where(accounts.c.id == account_id)
        )
        found = await ctx.conn.execute(
            select(ledger_entries)
            .where(ledger_entries.c.account_id == account_id)
            .order_by(ledger_entries.c.id)
        )
        ctx.add_json("credits.json", "balance_credits", int(balance or 0))
        ctx.add_json("credits.json", "ledger", json_rows(found, skip=("account_id",)))

    async def erase(self, ctx: ErasureContext) -> dict[str, int]:
        conn = ctx.conn
        assert conn is not None
        of_account = ledger_entries.c.account_id == ctx.account_id
        kept = 0
        reasons = self._registry.payment_reasons
        if reasons:
            is_payment = ledger_entries.c.reason.in_(sorted(reasons))
            count, total = (
                await conn.execute(
                    select(
                        func.count(), func.coalesce(func.sum(ledger_entries.c.amount_credits), 0)
                    ).where(of_account, is_payment)
                )
            ).one()
            if count:
                pseudonym = await ctx.pseudonym_id()
                moved = await conn.execute(
                    update(ledger_entries)
                    .where(of_account, is_payment)
                    .values(account_id=pseudonym, note=None)
                )
                kept = moved.rowcount
                await self._close(ctx, pseudonym, int(total))
        deleted = (await conn.execute(delete(ledger_entries).where(of_account))).rowcount
        return {"ledger_entries_deleted": deleted, "payment_records_pseudonymised": kept}

    @staticmethod
    async def _close(ctx: ErasureContext, pseudonym: int, total_credits: int) -> None:
        """The pseudonym takes the kept entries' sum as its balance, and one closing
        entry (the credits are forfeited with the account) brings it back to zero."""
        if total_credits == 0:
            return
        assert ctx.conn is not None
        adopt = (
            update(accounts)
            .where(accounts.c.id == pseudonym)
            .values(balance_credits=accounts.c.balance_credits + total_credits)
        )
        close = partial(
            apply_entry,
            ctx.conn,
            account_id=pseudonym,
            amount_credits=-total_credits,
            reason=Reason.ERASURE_CLOSE,
            reference=ctx.erasure_id,
        )
        if total_credits > 0:  # never through a negative balance, which the database refuses
            await ctx.conn.execute(adopt)
            await close()
        else:
            await close()
            await ctx.conn.execute(adopt)


def _preview_entry(ctx: ExportContext, img: Row) -> dict[str, Any] | None:
    """An image's chat preview, copied next to its original in the archive (None for
    images made before previews, or whose preview could not be made)."""
    if img.preview_key is None:
        return None
    ext = img.preview_key.rsplit(".", 1)[-1]
    path = f"images/{img.job_id}-{img.position}.preview.{ext}"
    return {
        "file": ctx.add_object(
            path, img.preview_key, size_bytes=img.preview_size_bytes, derivative=True
        ),
        "mime": img.preview_mime,
        "width_px": img.preview_width_px,
        "height_px": img.preview_height_px,
        "size_bytes": img.preview_size_bytes,
    }


class GenerationsParticipant:
    """Jobs (prompts, settings, status) and their image records; the images themselves
    are copied into the export from storage."""

    name = "generations"
    count_keys: tuple[str, ...] = ("images", "jobs")  # what erase() counts
    tables = ("jobs", "images")
    external = False
    order = 20

    async def export(self, ctx: ExportContext) -> None:
        account_id = ctx.subject.account_id
        by_job: dict[str, list[dict[str, Any]]] = {}
        found = (
            await ctx.conn.execute(
                select(images)
                .where(images.c.account_id == account_id, images.c.deleted_at.is_(None))
                .order_by(images.c.created_at, images.c.job_id, images.c.position)
            )
        ).all()
        for img in found:
            ext = img.storage_key.rsplit(".", 1)[-1]
            path = f"images/{img.job_id}-{img.position}.{ext}"
            ref = ctx.add_object(path, img.storage_key, size_bytes=img.size_bytes)
            by_job.setdefault(img.job_id, []).append(
                {
                    "image_id": img.id,
                    "file": ref,
                    "mime": img.mime,
                    "width_px": img.width_px,
                    "height_px": img.height_px,
                    "size_bytes": img.size_bytes,
                    "created_at": json_value(img.created_at),
                    "preview": _preview_entry(ctx, img),
                }
            )
        rows = await ctx.conn.execute(
            select(jobs).where(jobs.c.account_id == account_id).order_by(jobs.c.created_at)
        )
        generations = []
        for job in rows:
            generations.append(
                {
                    "job_id": job.id,
                    "status": job.status,
                    "model_id": job.model_id,
                    "prompt": job.prompt,
                    "negative_prompt": job.negative_prompt,
                    "enhance": bool(job.enhance),
                    "enhanced_prompt": job.enhanced_prompt,
                    "aspect_ratio": job.aspect_ratio,
                    "width_px": job.width_px,
                    "height_px": job.height_px,
                    "seed": job.seed,
                    "image_count": job.image_count,
                    "cost_credits": job.cost_credits,
                    "platform": job.platform,
                    "error_code": job.error_code,
                    "source_image_id": job.source_image_id,
                    # The uploads (uploads.json) it drew from, in order.
                    "reference_upload_ids": [
                        i for i in (job.reference_upload_ids or "").split(",") if i
                    ],
                    "created_at": json_value(job.created_at),
                    "started_at": json_value(job.started_at),
                    "finished_at": json_value(job.finished_at),
                    "images": by_job.get(job.id, []),
                }
            )
        ctx.add_json("generations.json", "generations", generations)

    async def erase(self, ctx: ErasureContext) -> dict[str, int]:
        assert ctx.conn is not None
        gone_images = await ctx.conn.execute(
            delete(images).where(images.c.account_id == ctx.account_id)
        )
        gone_jobs = await ctx.conn.execute(delete(jobs).where(jobs.c.account_id == ctx.account_id))
        return {"images": gone_images.rowcount, "jobs": gone_jobs.rowcount}


class ExportsParticipant:
    """Earlier data exports: listed in account.json; rows deleted (objects: storage)."""

    name = "exports"
    count_keys: tuple[str, ...] = ("exports",)  # what erase() counts
    tables = ("exports",)
    external = False
    order = 10

    async def export(self, ctx: ExportContext) -> None:
        found = await ctx.conn.execute(
            select(exports.c.id, exports.c.created_at, exports.c.expires_at, exports.c.status)
            .where(exports.c.account_id == ctx.subject.account_id)
            .order_by(exports.c.created_at)
        )
        ctx.add_json("account.json", "exports", json_rows(found))

    async def erase(self, ctx: ErasureContext) -> dict[str, int]:
        assert ctx.conn is not None
        result = await ctx.conn.execute(
            delete(exports).where(exports.c.account_id == ctx.account_id)
        )
        return {"exports": result.rowcount}


def register_core_participants(
    registry: PrivacyRegistry,
    *,
    storage: ObjectStore,
    rates: RateLimiter,
    redis: Redis | None = None,
    keys: RedisKeys | None = None,
) -> PrivacyRegistry:
    registry.register(AccountParticipant())
    registry.register(LedgerParticipant(registry))
    registry.register(GenerationsParticipant())
    registry.register(UploadsParticipant())
    registry.register(ExportsParticipant())
    # /link codes: when and where each was issued and used; never the code's hash.
    registry.register(
        TableParticipant(
            "link_codes",
            link_codes,
            "account.json",
            "link_codes",
            exclude_columns=("id", "code_hash", "used_by_account_id"),
        )
    )
    # Personal web links (/gallery): when each was issued, until when it worked and when
    # it was revoked; never the token's hash.
    registry.register(
        TableParticipant(
            "web_links",
            web_links,
            "account.json",
            "web_links",
            exclude_columns=("id", "purpose", "token_sha256", "operator"),
        )
    )
    # Operators' actions on the account (bans, grants): kept on the erasure's pseudonym
    # as an operations record, without the reasons written about the user. The export
    # leaves out who the operator was (another person's identity).
    registry.register(
        TableParticipant(
            "admin_audit",
            admin_audit,
            "account.json",
            "operator_actions",
            on_erase="pseudonymise",
            clear_columns=("note",),
            exclude_columns=("id", "operator"),
        )
    )
    registry.register(OperatorLinksParticipant())
    registry.register(StorageParticipant(storage))
    if redis is not None and keys is not None:
        registry.register(RedisParticipant(redis, keys))
    else:
        registry.register(InProcessLimitsParticipant(rates))
    return registry
