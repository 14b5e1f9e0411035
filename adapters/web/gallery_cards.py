"""The gallery's image cards, rendered in Python.

Each card's texts are prepared here (a call from a template costs several times a call
from here), and the cards' HTML is put together here too: about twenty template
expressions per card, each escaped and looked up by Jinja2, were half of a page's
rendering time for 24 cards (``benchmarks/gallery.py --profile``). Every value is
escaped with markupsafe's ``escape``, as the template's autoescape did; the markup is
the same as the template's was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup, escape

from adapters.web.pages import Pages
from core import GalleryItem

# The characters markupsafe's ``escape`` replaces; most values (links, ids, dates) have
# none, and a search is cheaper than the escape's call and Markup object.
_NEEDS_ESCAPE = re.compile(r"[&<>\"']")

ALT_CHARS = 120  # an image's alt text: the start of its prompt

_CARD = """  <li class="card" id="image-{image_id}">
    <a class="thumb" href="{url}" rel="noreferrer noopener" target="_blank">
      <img src="{src}" alt="{alt}" loading="lazy"
           width="{width}" height="{height}">
    </a>
    <div class="meta">
      <p class="prompt">{prompt}</p>
      <dl>
        <dt>{label_model}</dt><dd class="model">{model_id}</dd>
        <dt>{label_created}</dt><dd>{created}</dd>
        <dt>{label_size}</dt><dd>{size}</dd>
      </dl>
      <p class="actions">
        <a href="{url}" rel="noreferrer noopener" target="_blank">{label_original}</a>
      </p>
      <details class="delete">
        <summary>{label_delete}</summary>
        <form method="post" action="/gallery/delete">
          <p>{label_confirm}</p>
          <input type="hidden" name="csrf" value="{csrf}">
          <input type="hidden" name="image_id" value="{image_id}">
          <button type="submit" class="danger">{label_yes}</button>
        </form>
      </details>
    </div>
  </li>
"""

# The labels every card repeats: rendered and escaped once per page.
_LABELS = {
    "label_model": "gallery.model",
    "label_created": "gallery.created",
    "label_size": "gallery.size_label",
    "label_original": "gallery.open_original",
    "label_delete": "gallery.delete",
    "label_confirm": "gallery.delete_confirm",
    "label_yes": "gallery.delete_yes",
}


@dataclass(frozen=True, slots=True)
class Card:
    """One image as its card shows it, its texts rendered (the template only places
    them: a call from a template costs several times a call from here)."""

    image_id: str
    url: str  # the original
    src: str  # the preview, or the original when there is none
    alt: str
    width: int
    height: int
    prompt: str
    model_id: str
    created: str
    size: str


def cards(pages: Pages, lang: str, items: list[GalleryItem]) -> list[Card]:
    text = pages.text
    return [
        Card(
            image_id=item.image_id,
            url=item.url,
            src=item.preview_url or item.url,
            alt=pages.truncate(item.prompt, ALT_CHARS),
            width=item.width,
            height=item.height,
            prompt=item.prompt,
            model_id=item.model_id,
            created=text("gallery.created_at", lang, created_at=item.created_at),
            size=text("gallery.dimensions", lang, width=str(item.width), height=str(item.height))
            + " · "
            + text("gallery.size", lang, size_mb=_size_mb(item.size_bytes)),
        )
        for item in items
    ]


def _size_mb(size_bytes: int) -> float:
    return round(size_bytes / 1_000_000, 1) or 0.1


def _escape(value: str) -> str:
    """``str(markupsafe.escape(value))``, without its cost when nothing needs escaping."""
    return str(escape(value)) if _NEEDS_ESCAPE.search(value) else value


def cards_html(pages: Pages, lang: str, cards_: list[Card], csrf: str) -> Markup:
    """The cards' ``<li>`` elements, every value escaped."""
    fixed = {name: escape(pages.text(key, lang)) for name, key in _LABELS.items()}
    fixed["csrf"] = escape(csrf)
    return Markup(
        "".join(
            _CARD.format(
                **fixed,
                image_id=_escape(card.image_id),
                url=_escape(card.url),
                src=_escape(card.src),
                alt=_escape(card.alt),
                width=card.width,
                height=card.height,
                prompt=_escape(card.prompt),
                model_id=_escape(card.model_id),
                created=_escape(card.created),
                size=_escape(card.size),
            )
            for card in cards_
        )
    )
