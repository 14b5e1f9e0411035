"""Forget the language every account stored until now: ``accounts.language`` set to NULL.

Until this release an account stored its platform's language, cut to two letters, when
it was created (Discord's interaction locale, Telegram's ``language_code``), and only
English messages existed, so no stored value can be a language the user chose. Now the
stored language is the choice made in ``/settings`` and wins over the platform's locale:
kept, those copies would pin each older user to the platform language they had on the
day they first wrote (and lose the region, ``pt`` for ``pt-BR``) for ever. Forgotten,
such a user is answered in the platform's current locale until they choose one.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06
"""

from __future__ import annotations

from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("UPDATE accounts SET language = NULL WHERE language IS NOT NULL")


def downgrade() -> None:
    # Nothing to undo: the forgotten values were copies of the platform's language, not
    # choices, and cannot be told apart from anything else; a NULL language is valid on
    # every earlier revision (the platform's locale is used).
    pass
