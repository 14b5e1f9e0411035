"""Accounts, platform identities, preferences, consent, bans, and /link with its merge rules."""
