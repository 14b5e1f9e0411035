"""Kept for existing importers: the ledger lives in ``core.ledger``."""

from core.ledger import (
    LedgerOutcome,
    Reason,
    apply_entry,
    balance_of,
    conservation_gap,
    credits_view,
    ledger_sum,
)

__all__ = [
    "LedgerOutcome",
    "Reason",
    "apply_entry",
    "balance_of",
    "conservation_gap",
    "credits_view",
    "ledger_sum",
]
