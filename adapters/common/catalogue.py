"""The message catalogue a chat adapter renders with: the core's texts, the texts every
chat shares (``adapters/common/locales``), then the adapter's own, language by language."""

from __future__ import annotations

from pathlib import Path

from core import Messages

LOCALES_DIR = Path(__file__).resolve().parent / "locales"


def chat_messages(messages: Messages, adapter_locales: Path) -> Messages:
    """``messages`` (the core's catalogue, as bootstrapped) with the shared chat texts and
    the files in ``adapter_locales`` laid over it; laying it again changes nothing."""
    return messages.layered(LOCALES_DIR, adapter_locales)
