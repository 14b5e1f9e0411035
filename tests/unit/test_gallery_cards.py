"""The gallery's cards are put together in Python (adapters/web/gallery_cards.py), not
by the template: the markup must be what the template made, every value escaped."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from jinja2 import Environment
from markupsafe import escape

from adapters.web.gallery_cards import _escape, cards, cards_html
from adapters.web.languages import web_messages
from adapters.web.pages import Pages
from core import GalleryItem

HOSTILE = "<script>alert('x')</script> & \"quoted\""

# The card loop as templates/gallery.html had it before the cards moved to Python.
TEMPLATE_CARDS = """{% set label_model = t("gallery.model") %}
{% set label_created = t("gallery.created") %}
{% set label_size = t("gallery.size_label") %}
{% set label_original = t("gallery.open_original") %}
{% set label_delete = t("gallery.delete") %}
{% set label_confirm = t("gallery.delete_confirm") %}
{% set label_yes = t("gallery.delete_yes") %}
<ul class="grid">
  {% for card in cards %}
  <li class="card" id="image-{{ card.image_id }}">
    <a class="thumb" href="{{ card.url }}" rel="noreferrer noopener" target="_blank">
      <img src="{{ card.src }}" alt="{{ card.alt }}" loading="lazy"
           width="{{ card.width }}" height="{{ card.height }}">
    </a>
    <div class="meta">
      <p class="prompt">{{ card.prompt }}</p>
      <dl>
        <dt>{{ label_model }}</dt><dd class="model">{{ card.model_id }}</dd>
        <dt>{{ label_created }}</dt><dd>{{ card.created }}</dd>
        <dt>{{ label_size }}</dt><dd>{{ card.size }}</dd>
      </dl>
      <p class="actions">
        <a href="{{ card.url }}" rel="noreferrer noopener" target="_blank">{{ label_original }}</a>
      </p>
      <details class="delete">
        <summary>{{ label_delete }}</summary>
        <form method="post" action="/gallery/delete">
          <p>{{ label_confirm }}</p>
          <input type="hidden" name="csrf" value="{{ csrf }}">
          <input type="hidden" name="image_id" value="{{ card.image_id }}">
          <button type="submit" class="danger">{{ label_yes }}</button>
        </form>
      </details>
    </div>
  </li>
  {% endfor %}
</ul>"""


def _items() -> list[GalleryItem]:
    made = datetime(2026, 12, 6, 8, 30, tzinfo=UTC)
    return [
        GalleryItem(
            image_id=f"img{n}",
            job_id=f"job{n}",
            url=f"https://cdn.example/i/{n}.png?sig=a&exp=1",
            preview_url=None if n else "https://cdn.example/p/0.webp?x=<1>",
            prompt=HOSTILE if n == 1 else f"a red fox {n}",
            model_id="flux" if n else HOSTILE,
            width=1024,
            height=768,
            size_bytes=1_234_567,
            created_at=made,
        )
        for n in range(3)
    ]


@pytest.mark.parametrize("lang", ["en", "es", "pt-BR", "ru", "de"])
def test_the_cards_are_the_templates_markup(lang):
    pages = Pages(web_messages())
    made = cards(pages, lang, _items())
    csrf = 'tok"<en>'
    env = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    expected = env.from_string(TEMPLATE_CARDS).render(
        cards=made, csrf=csrf, t=lambda key: pages.text(key, lang)
    )
    assert expected == '<ul class="grid">\n' + str(cards_html(pages, lang, made, csrf)) + "</ul>"


def test_every_value_is_escaped():
    pages = Pages(web_messages())
    html = str(cards_html(pages, "en", cards(pages, "en", _items()), "t"))
    assert "<script>" not in html and HOSTILE not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &#34;quoted&#34;" in html
    assert 'src="https://cdn.example/p/0.webp?x=&lt;1&gt;"' in html
    assert 'href="https://cdn.example/i/1.png?sig=a&amp;exp=1"' in html


@given(st.text())
def test_the_fast_escape_is_markupsafes(value):
    assert _escape(value) == str(escape(value))
