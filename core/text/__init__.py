"""The message catalogue and the core's locale files."""
