"""Bad input, at scale, for the text parsers and option values (issue 17): whatever a
user types, each parser accepts it or refuses it with a ``CoreError`` whose text renders
from the catalogue in every language without a leftover ``{placeholder}``; the admin
command line answers with its usage or a message. About 200 inputs per target here
(the ``ci`` Hypothesis profile, tests/conftest.py); ``benchmarks/fuzz.py`` runs 10,000+.

The checks live in tests/support/fuzz_targets.py, the strategies in
tests/support/fuzz_strategies.py, shared with the benchmark."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import example, given

from core import InvalidOption
from tests.support import fuzz_strategies as fs
from tests.support.fuzz_targets import ParserTargets, UnrenderedRefusal, assert_refusal_renders


@pytest.fixture(scope="module")
def targets() -> Iterator[ParserTargets]:
    built = ParserTargets()
    yield built
    built.close()


@given(text=fs.imagine_inputs())
@example(text="cat --no " + "x" * 5000)  # issue 17, rough edge 3
@example(text="cat --seed -1 --n -3")
def test_imagine_text_is_accepted_or_refused_with_a_message(targets, text):
    targets.imagine_text(text)


@given(text=fs.settings_inputs())
@example(text="--lang \u0130")  # a capital dotted I lower-cases to two characters
def test_settings_text_is_accepted_or_refused_with_a_message(targets, text):
    targets.settings_text(text)


@given(text=fs.console_imagine_inputs())
@example(text="a cat --image ~nosuchuser-fuzz/cat.png")
@example(text="a cat --image 'a\x00b.png'")
def test_console_imagine_with_image_options_is_accepted_or_refused(targets, text):
    targets.console_imagine(text)


@given(argv=fs.admin_argv())
@example(argv=["discord", "--shard-ids", "0,x", "--shard-count", "2"])
def test_admin_command_line_answers_with_usage_or_a_message(targets, argv):
    targets.admin_argv(argv)


@given(options=fs.discord_imagine_options())
def test_discord_imagine_options_are_accepted_or_refused_with_a_message(targets, options):
    targets.discord_imagine(options)


@given(options=fs.discord_settings_options())
def test_discord_settings_options_are_accepted_or_refused_with_a_message(targets, options):
    targets.discord_settings(options)


def test_a_refusal_with_a_missing_parameter_is_caught(targets):
    """The render check can fail: ``too_long`` without ``length`` leaves ``{length}``."""
    error = InvalidOption(field="prompt", reason="too_long", max_chars=1000)
    with pytest.raises(UnrenderedRefusal, match="length"):
        assert_refusal_renders(targets.messages, error)


def test_an_unhandled_exception_is_not_taken_for_a_refusal(targets, monkeypatch):
    """The checks let anything but a ``CoreError`` through (so Hypothesis reports it)."""

    def broken(text):
        raise ValueError(text)

    monkeypatch.setattr("tests.support.fuzz_targets.parse_imagine_text", broken)
    with pytest.raises(ValueError):
        targets.imagine_text("a cat")
