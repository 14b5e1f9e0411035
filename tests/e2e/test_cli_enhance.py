"""``--enhance`` in the console without a DeepSeek key: the image is made from the prompt
as typed, and the result says so instead of ignoring the option silently."""

from __future__ import annotations

import re

from tests.e2e.test_cli import LINK, _run


def test_enhance_without_a_key_says_the_prompt_was_used_as_written(cli_env, tmp_path):
    cli_env.pop("DEEPSEEK_API_KEY", None)
    result = _run(
        ["console", "--no-web"],
        cli_env,
        tmp_path,
        stdin="/accept\n/imagine a cat --enhance\n/imagine a dog\n",
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert len(re.findall(r"Done [0-9a-f]{8}:", out)) == 2 and LINK.search(out)
    assert out.count("used your prompt as written") == 1  # only for the job that asked
    assert "Traceback" not in out + result.stderr
