"""Queue port and Redis Streams, event delivery, rate limits, Redis keys."""
