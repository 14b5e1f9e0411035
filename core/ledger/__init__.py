"""The money core: the only writer of balances. Entries and their reasons (one enum,
mirrored by a database CHECK), posting (idempotent before conditional), take-backs and
debts, and the one rule for which incoming credits settle a debt."""

from core.ledger.debts import add_debt, debt_of, locked_account
from core.ledger.posting import (
    LedgerOutcome,
    TakenBack,
    apply_entry,
    balance_of,
    conservation_gap,
    credits_view,
    ledger_sum,
    take_back,
)
from core.ledger.reasons import SETTLES_DEBT, DebtReason, Reason

__all__ = [
    "SETTLES_DEBT",
    "DebtReason",
    "LedgerOutcome",
    "Reason",
    "TakenBack",
    "add_debt",
    "apply_entry",
    "balance_of",
    "conservation_gap",
    "credits_view",
    "debt_of",
    "ledger_sum",
    "locked_account",
    "take_back",
]
