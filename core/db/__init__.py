"""The database: engine and unit of work, and the tables (one definition each)."""
