"""What the gallery's page keeps between requests: each account's model list (fresh
while the account's newest image is unchanged, for a bounded time, for a bounded number
of accounts) and the pages' rendered texts (each rendered once, bounded)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from adapters.web.pages import Texts
from core.jobs.gallery import ModelLists

NEWEST = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now_s = 1000.0

    def __call__(self) -> float:
        return self.now_s


def test_a_model_list_is_served_while_the_newest_image_is_the_same_and_fresh():
    clock = Clock()
    lists = ModelLists(ttl_s=60.0, clock=clock)
    assert lists.get(7, NEWEST) is None
    lists.put(7, NEWEST, ["flux", "gpt-image"])
    served = lists.get(7, NEWEST)
    assert served == ["flux", "gpt-image"]
    served.append("changed by a caller")  # a copy: the cached list stays as read
    assert lists.get(7, NEWEST) == ["flux", "gpt-image"]
    assert lists.get(8, NEWEST) is None  # another account
    clock.now_s += 59.9
    assert lists.get(7, NEWEST) == ["flux", "gpt-image"]
    clock.now_s += 0.1
    assert lists.get(7, NEWEST) is None  # too old: a deletion elsewhere shows
    lists.put(7, NEWEST, ["flux"])
    assert lists.get(7, NEWEST + timedelta(microseconds=1)) is None  # a newer image
    assert lists.get(7, NEWEST) is None  # and the outdated entry is gone
    lists.put(7, NEWEST, ["flux"])
    lists.drop(7)
    assert lists.get(7, NEWEST) is None


def test_model_lists_keep_the_most_recently_used_accounts():
    lists = ModelLists(max_accounts=2, clock=Clock())
    lists.put(1, NEWEST, ["a"])
    lists.put(2, NEWEST, ["b"])
    assert lists.get(1, NEWEST) == ["a"]  # used: 2 is now the oldest
    lists.put(3, NEWEST, ["c"])
    assert lists.get(2, NEWEST) is None
    assert lists.get(1, NEWEST) == ["a"] and lists.get(3, NEWEST) == ["c"]


class CountingMessages:
    def __init__(self) -> None:
        self.calls: list[tuple] = []

    def render(self, key: str, locale: str | None = None, **params) -> str:
        self.calls.append((key, locale, tuple(sorted(params.items()))))
        return f"{key}|{locale}|{sorted(params.items())}"


def test_each_text_is_rendered_once_per_language_and_parameters():
    messages = CountingMessages()
    texts = Texts(messages, max_texts=3)  # type: ignore[arg-type]
    at = datetime(2026, 12, 6, 12, 5, tzinfo=UTC)
    first = texts.render("gallery.created_at", "en", {"created_at": at})
    assert texts.render("gallery.created_at", "en", {"created_at": at}) == first
    assert len(messages.calls) == 1
    assert texts.render("gallery.created_at", "de", {"created_at": at}) != first
    assert texts.render("gallery.created_at", "en", {"created_at": at + timedelta(minutes=1)})
    assert texts.render("gallery.title", "en", {}) == "gallery.title|en|[]"
    assert len(messages.calls) == 4
    # Bounded: the least recently used text (the first) was let go and is rendered again.
    assert texts.render("gallery.created_at", "en", {"created_at": at}) == first
    assert len(messages.calls) == 5
