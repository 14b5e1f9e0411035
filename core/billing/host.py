"""What ``core.billing.service.Billing`` lends the Stars mixins (``stars_sales``,
``stars_sync``): their methods annotate ``self`` with :class:`BillingHost`, so the type
checker holds both sides, the mixins to what is declared here and ``Billing`` to
providing it."""

from __future__ import annotations

from typing import Protocol

from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from core.billing.payments import StarsRefunds
from core.billing.stars_refunds import StarsRefundView
from core.billing.types import Notice, StarsPurchase
from core.catalog import Catalog
from core.db.engine import UnitOfWorkFactory
from core.observability.analytics import Analytics
from core.types import Actor


class StarsSettings(Protocol):
    @property
    def stars_secret(self) -> bytes: ...


class BillingHost(Protocol):
    catalog: Catalog
    stars_refunds: StarsRefunds | None
    _uow: UnitOfWorkFactory
    analytics: Analytics

    @property
    def settings(self) -> StarsSettings: ...

    async def _usable(self, conn: AsyncConnection, actor: Actor) -> Row: ...

    async def _notify(self, notices: list[Notice]) -> None: ...

    async def _credit_stars(
        self, payload: str, currency: str, total_amount: int, charge_id: str
    ) -> StarsPurchase: ...

    async def _send_stars_refund(self, refund: StarsRefundView) -> StarsRefundView: ...
