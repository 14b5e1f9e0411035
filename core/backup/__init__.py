"""Backups that restore (issue 19): a consistent database dump, a manifest of the objects
in storage with their checksums, an optional copy of the objects, and the restore of a
fresh database from them. ``bot/backup.py`` is the command line (``seedream backup`` and
``seedream restore``); docs/backups.md is the guide. The erasure journal that a restore
replays lives in ``core.privacy.journal`` and is never part of a backup."""
