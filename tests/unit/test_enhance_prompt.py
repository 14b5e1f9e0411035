"""The enhancer's answer made into one line of prompt text (DeepSeek's clean_prompt): pure,
no I/O. tests/integration/test_provider_deepseek.py sends real answers through it."""

from __future__ import annotations

import pytest

from core.providers.deepseek import MAX_PROMPT_CHARS, clean_prompt


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ('"A cat on a roof"', "A cat on a roof"),
        ("```\n**A cat** on a roof\n```", "A cat on a roof"),
        ("Prompt: “A fox at dawn”", "A fox at dawn"),
        ('A "red" fox and a "blue" bird', 'A "red" fox and a "blue" bird'),
        ("# A cat\non a roof", "A cat on a roof"),
    ],
)
def test_clean_prompt(raw: str, clean: str):
    assert clean_prompt(raw) == clean


def test_clean_prompt_cuts_long_answers_at_a_word():
    cleaned = clean_prompt("word " * 300)
    assert len(cleaned) <= MAX_PROMPT_CHARS and cleaned.endswith("word")
