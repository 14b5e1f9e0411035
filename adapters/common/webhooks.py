"""What a webhook route reports about the requests it receives (the process's metrics,
``core.observability.metrics.Metrics``, is one): every request counted by source, every
refusal or failure by source and reason. Adapters take it as an argument; a route built
without one counts nothing."""

from __future__ import annotations

from typing import Protocol

__all__ = ["NO_WEBHOOK_METER", "WebhookMeter"]


class WebhookMeter(Protocol):
    def webhook_received(self, source: str) -> None: ...

    def webhook_failed(self, source: str, reason: str) -> None: ...


class _NoMeter:
    def webhook_received(self, source: str) -> None:
        pass

    def webhook_failed(self, source: str, reason: str) -> None:
        pass


NO_WEBHOOK_METER: WebhookMeter = _NoMeter()
