"""Each message key lives in the right locale file: the core's catalogue holds the keys
the core's own code uses, each adapter's file the keys only that adapter uses, and
adapters/common's the texts several chat adapters share.

Keys are found in the code as its string literals (``"job.cancelled"``) and the leading
text of f-strings (``f"discord.cmd.{name}"`` uses every ``discord.cmd.*`` key); an error
key also uses ``<key>.<reason>`` for each reason its package names.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from adapters.common.catalogue import chat_messages
from adapters.console.adapter import LOCALES_DIR as CONSOLE_LOCALES
from adapters.discord.render import LOCALES_DIR as DISCORD_LOCALES
from adapters.telegram.render import LOCALES_DIR as TELEGRAM_LOCALES
from core.text.catalogue import LOCALES_DIR as CORE_LOCALES
from core.text.catalogue import Messages

ROOT = Path(__file__).resolve().parents[2]
KEY_SHAPE = re.compile(r"^[a-z_]+(\.[a-z0-9_]+)+$")
# "credits.json" and "gallery.html" are no keys.
FILE_ENDINGS = {
    "json",
    "toml",
    "txt",
    "png",
    "jpg",
    "webp",
    "html",
    "css",
}
# A key quoted in a web page's template: {{ t("gallery.title") }}.
TEMPLATE_KEY = re.compile(r"""["']([a-z_]+(?:\.[a-z0-9_]+)+)["']""")
CHAT = ("console", "discord", "telegram")
# Keys only a translation defines: Discord's command names stay English by default.
TRANSLATIONS_ONLY = {"discord.name."}

# A group of code, and the locale file that holds its own keys.
CODE = {
    "core": ("core", "bot"),  # the composition root renders core errors only
    "common": ("adapters/common",),
    "console": ("adapters/console",),
    "discord": ("adapters/discord",),
    "telegram": ("adapters/telegram",),
    "web": ("adapters/web",),
}
LOCALES = {
    "core": ROOT / "core/text/locales",
    "common": ROOT / "adapters/common/locales",
    "console": ROOT / "adapters/console/locales",
    "discord": ROOT / "adapters/discord/locales",
    "telegram": ROOT / "adapters/telegram/locales",
    "web": ROOT / "adapters/web/locales",
}


def keys_in(group: str) -> set[str]:
    return Messages(LOCALES[group]).keys("en")


@dataclass
class Strings:
    literals: set[str] = field(default_factory=set)
    prefixes: set[str] = field(default_factory=set)  # f"discord.cmd.{name}" → "discord.cmd."
    fragments: set[str] = field(default_factory=set)  # f"{key}.default" → "default"

    def uses(self, key: str) -> bool:
        if key in self.literals:
            return True
        if any(p.endswith(".") and key.startswith(p) for p in self.prefixes):
            return True
        base, _, last = key.rpartition(".")  # error.invalid_option + reason="empty"
        return (
            key.startswith("error.")
            and base in self.literals
            and (last in self.literals or last in self.fragments)
        )


def strings_of(folders: Iterable[str]) -> Strings:
    found = Strings()
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text("utf-8"))):
                if isinstance(node, ast.JoinedStr):
                    parts = [p.value for p in node.values if isinstance(p, ast.Constant)]
                    if node.values and isinstance(node.values[0], ast.Constant):
                        found.prefixes.add(str(node.values[0].value))
                    found.fragments.update(str(p).lstrip(".") for p in parts)
                elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                    found.literals.add(node.value)
        for path in sorted((ROOT / folder).rglob("*.html")):  # Jinja2 templates (web)
            found.literals.update(TEMPLATE_KEY.findall(path.read_text("utf-8")))
    return found


STRINGS = {group: strings_of(folders) for group, folders in CODE.items()}
KEYS = {group: keys_in(group) for group in LOCALES}
SECTIONS = {key.split(".")[0] for keys in KEYS.values() for key in keys}


def visible(group: str) -> set[str]:
    """The keys ``group``'s code can render: the core's, the shared chat texts for a chat
    adapter, then its own."""
    shared = KEYS["common"] if group in ("common", *CHAT) else set()
    return KEYS["core"] | shared | KEYS.get(group, set())


@pytest.mark.parametrize("group", list(CODE))
def test_every_key_used_in_code_exists_in_a_file_that_code_sees(group):
    seen = visible(group)
    strings = STRINGS[group]
    used = {
        s
        for s in strings.literals
        if KEY_SHAPE.match(s)
        and s.split(".")[0] in SECTIONS
        and s.rpartition(".")[2] not in FILE_ENDINGS
    }
    assert used, "no keys found: the search is broken"
    missing = sorted(k for k in used if k not in seen and f"{k}.default" not in seen)
    assert missing == []
    for prefix in strings.prefixes - TRANSLATIONS_ONLY:  # f"telegram.cmd.{name}"
        if KEY_SHAPE.match(prefix.rstrip(".")) and prefix.split(".")[0] in SECTIONS:
            assert any(k.startswith(prefix) for k in seen), prefix


def test_the_core_catalogue_holds_only_keys_the_core_uses():
    not_core = sorted(k for k in KEYS["core"] if not STRINGS["core"].uses(k))
    assert not_core == []


@pytest.mark.parametrize("group", ["console", "discord", "telegram", "web"])
def test_an_adapters_file_holds_only_keys_that_adapter_uses(group):
    unused = sorted(k for k in KEYS[group] if not STRINGS[group].uses(k))
    assert unused == []


def test_a_key_only_one_adapter_uses_is_not_shared():
    """adapters/common's file: keys the presenters use or two chat adapters share."""
    for key in sorted(KEYS["common"]):
        users = [g for g in CHAT if STRINGS[g].uses(key)]
        assert STRINGS["common"].uses(key) or len(users) >= 2, (key, users)


def test_no_key_is_defined_in_two_files():
    groups = list(KEYS)
    for i, one in enumerate(groups):
        for other in groups[i + 1 :]:
            assert KEYS[one] & KEYS[other] == set(), (one, other)


def test_an_adapters_texts_are_laid_over_the_cores():
    core = Messages()
    assert not core.has("discord.settings_current") and core.has("error.generic")
    discord = chat_messages(core, DISCORD_LOCALES)
    assert discord.has("discord.settings_current") and discord.has("job.cancelled")
    assert discord.has("error.generic") and not discord.has("telegram.queued")
    assert chat_messages(discord, DISCORD_LOCALES) is discord  # laid once
    console = chat_messages(core, CONSOLE_LOCALES)
    assert console.render("console.vary_usage").startswith("Usage: /vary")
    files = [*CORE_LOCALES.glob("*.ftl"), *TELEGRAM_LOCALES.glob("*.ftl")]
    assert chat_messages(core, TELEGRAM_LOCALES).languages == sorted({p.stem for p in files})


def test_a_layer_replaces_a_text_language_by_language(tmp_path):
    base, layer = tmp_path / "base", tmp_path / "layer"
    base.mkdir()
    layer.mkdir()
    (base / "en.ftl").write_text("a-x = core x\na-y = core y\n")
    (base / "de.ftl").write_text("a-x = Kern x\n")
    (layer / "en.ftl").write_text("a-y = adapter y\na-z = adapter { $n }\n")
    (layer / "fr.ftl").write_text("a-z = adaptateur { $n }\n")
    messages = Messages(base).layered(layer)
    assert messages.languages == ["de", "en", "fr"]
    assert messages.render("a.x", "de") == "Kern x"
    assert messages.render("a.y", "de") == "adapter y"  # English of the layer
    assert messages.render("a.z", "fr", n=2) == "adaptateur 2"
    assert messages.lookup("a.z", "de") is None
    assert Messages(base).render("a.y") == "core y"


def test_a_bare_language_reads_its_one_regional_file_before_english():
    """Telegram sends ``pt`` for many Brazilian users; the shipped Portuguese is pt-BR."""
    messages = Messages()
    assert messages.chain("pt") == ["pt", "pt-BR", "en"]
    assert messages.chain("pt-PT") == ["pt-PT", "pt", "pt-BR", "en"]
    assert messages.chain("de-AT") == ["de-AT", "de", "en"]
    assert messages.render("error.generic", "pt") == messages.render("error.generic", "pt-BR")
    assert messages.render("error.generic", "pt") != messages.render("error.generic", "en")
