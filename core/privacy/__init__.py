"""Privacy: the participant registry, export, erasure, retention and purge, abuse-prevention
hashes."""
