"""Metrics, log context and operator statistics."""
