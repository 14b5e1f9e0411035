"""What every table module shares: the one ``metadata`` (with the constraint naming
convention), the id and timestamp column types, and the helper for IN-list CHECKs."""

from __future__ import annotations

from datetime import UTC

from sqlalchemy import (
    BigInteger,
    DateTime,
    Integer,
    MetaData,
)
from sqlalchemy.types import TypeDecorator

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# SQLite has no 64-bit autoincrement BIGINT; INTEGER PRIMARY KEY is already 64-bit there.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes on every backend (SQLite hands back naive ones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


def in_list_sql(column: str, values: tuple[str, ...]) -> str:
    """``column IN ('a', 'b')``: the SQL of a CHECK that a column holds one of ``values``."""
    return f"{column} IN ({', '.join(repr(v) for v in values)})"
