"""Generation jobs: request parsing, the accept step, lifecycle, scheduling, store, runner,
worker, variations."""
