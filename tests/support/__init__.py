"""Reusable test helpers: real servers on loopback ports (ASGI apps, moto S3)."""
