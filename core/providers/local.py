"""LocalProvider: the offline, deterministic preview generator.

Used when no image service is configured. It draws a seeded gradient with soft shapes and
the prompt text, and labels every image "seedream offline preview" so nobody mistakes it
for a real generation. Same (prompt, negative_prompt, seed, size, index) -> same PNG bytes.

With reference images (``spec.reference_images``; a variation is one, its source) the
picture is drawn from all of them: the first is the base (a seeded small zoom, shift and
tilt, a colour cast and a veil of soft shapes in its own colours), each further one is
blended in from a seeded side, and the prompt's own drawing (its gradient and shapes,
no text) lies lightly over the whole. Same (reference bytes, prompt, negative prompt,
seed, size, index) -> same PNG bytes.
"""

from __future__ import annotations

import asyncio
import colorsys
import hashlib
import io
import math
import random
import re
from collections.abc import Iterable

from PIL import Image, ImageDraw, ImageFilter, ImageFont, ImageOps, UnidentifiedImageError

from core.errors import ProviderPermanent
from core.providers.base import GeneratedImage, GenerationResult, GenerationSpec

LABEL = "seedream offline preview"
MIN_SIDE, MAX_SIDE, MAX_COUNT = 64, 4096, 8
MAX_PROMPT_CHARS = 400  # longer prompts are cut before layout
MAX_LINES = 4
# Drawing from references: how strongly the 2nd, 3rd... image shows where it is blended
# in most, and how strongly the prompt's drawing tints the result. The prompt's drawing is
# made at most TINT_SIDE px wide and scaled up: it is soft, and this keeps it cheap.
BLEND_MAX_ALPHA = 0.55
PROMPT_TINT_ALPHA = 0.22
TINT_SIDE = 256
REFERENCE_OVERSIZE = 1.25  # references are decoded at most this much larger than the output

RGB = tuple[int, int, int]
COLOUR_WORDS: dict[str, RGB] = {
    "red": (200, 40, 40), "orange": (240, 140, 30), "yellow": (245, 215, 60),
    "green": (60, 160, 80), "blue": (50, 100, 210), "purple": (130, 60, 180),
    "pink": (240, 130, 180), "white": (245, 245, 245), "black": (20, 20, 25),
    "gray": (128, 128, 135), "grey": (128, 128, 135), "brown": (125, 80, 45),
    "gold": (212, 175, 55), "snow": (235, 242, 250), "night": (20, 25, 70),
    "sunset": (250, 110, 70), "forest": (30, 90, 45), "ocean": (20, 90, 140),
}  # fmt: skip
_WORD = re.compile(r"[a-z]+")


def prompt_seed(prompt: str) -> int:
    """The seed used when the request names none: stable across processes."""
    return int.from_bytes(hashlib.sha256(prompt.encode()).digest()[:4], "big")


def _rgb(channels: Iterable[float]) -> RGB:
    """Three channel values, rounded to ints, as one colour."""
    r, g, b = (round(c) for c in channels)
    return (r, g, b)


def _font(size: int) -> ImageFont.FreeTypeFont:
    font = ImageFont.load_default(size=size)
    # Given a size, Pillow loads its bundled FreeType font (or raises without FreeType);
    # only the size-less call falls back to the bitmap ImageFont.
    assert isinstance(font, ImageFont.FreeTypeFont)
    return font


def _palette(prompt: str, rng: random.Random) -> list[RGB]:
    """Colour words from the prompt first, then seeded pastel-ish hues to fill up."""
    named = [COLOUR_WORDS[w] for w in _WORD.findall(prompt.lower()) if w in COLOUR_WORDS]
    colours = list(dict.fromkeys(named))  # dedupe, keep order
    if len(colours) == 1:  # one named colour: pair it with a lighter or darker shade of itself
        t, to = rng.uniform(0.3, 0.5), rng.choice((0, 255))
        colours.append(_rgb(c + (to - c) * t for c in colours[0]))
    while len(colours) < 3:
        h, s, v = rng.random(), rng.uniform(0.35, 0.7), rng.uniform(0.55, 0.9)
        colours.append(_rgb(c * 255 for c in colorsys.hsv_to_rgb(h, s, v)))
    return colours


def _jitter(c: RGB, rng: random.Random, amount: int = 18) -> RGB:
    return _rgb(max(0, min(255, x + rng.randint(-amount, amount))) for x in c)


def _gradient(w: int, h: int, c1: RGB, c2: RGB, angle: float) -> Image.Image:
    """A two-colour linear gradient at ``angle`` degrees, filling w x h."""
    mask = Image.linear_gradient("L").rotate(angle, Image.Resampling.BICUBIC, expand=True)
    a = math.radians(angle)
    inner = 256 / (abs(math.cos(a)) + abs(math.sin(a)))  # square fully inside the rotation
    cx, cy = mask.width / 2, mask.height / 2
    box = (cx - inner / 2 + 1, cy - inner / 2 + 1, cx + inner / 2 - 1, cy + inner / 2 - 1)
    mask = mask.resize((w, h), Image.Resampling.BICUBIC, box=box)
    return Image.composite(Image.new("RGB", (w, h), c2), Image.new("RGB", (w, h), c1), mask)


def _shapes(w: int, h: int, palette: list[RGB], rng: random.Random) -> Image.Image:
    """Soft blurred circles (bokeh) plus a few crisp translucent polygons."""
    side = min(w, h)
    soft = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    d = ImageDraw.Draw(soft)
    for _ in range(rng.randint(5, 9)):
        r = rng.uniform(0.08, 0.3) * side
        x, y = rng.uniform(0, w), rng.uniform(0, h)
        d.ellipse((x - r, y - r, x + r, y + r), fill=(*_jitter(rng.choice(palette), rng), 90))
    # Blur premultiplied so transparent black doesn't bleed dark halos into the edges.
    blur = ImageFilter.GaussianBlur(max(1, side // 60))
    soft = soft.convert("RGBa").filter(blur).convert("RGBA")
    d = ImageDraw.Draw(soft)
    for _ in range(rng.randint(2, 4)):
        cx, cy, r = rng.uniform(0, w), rng.uniform(0, h), rng.uniform(0.05, 0.18) * side
        n, rot = rng.randint(3, 6), rng.uniform(0, 360)
        d.regular_polygon((cx, cy, r), n, rotation=rot, fill=(*rng.choice(palette), 55))
    return soft


def _wrap(text: str, font: ImageFont.FreeTypeFont, max_w: float) -> list[str]:
    """Greedy word wrap by pixel width; long words are split; overflow ends in an ellipsis."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        while font.getlength(word) > max_w and len(word) > 1:  # hard-split very long words
            cut = len(word) - 1
            while cut > 1 and font.getlength(word[:cut]) > max_w:
                cut -= 1
            if line:
                lines.append(line)
                line = ""
            lines.append(word[:cut])
            word = word[cut:]
        candidate = f"{line} {word}".strip()
        if font.getlength(candidate) <= max_w:
            line = candidate
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    if len(lines) > MAX_LINES or len(text) > MAX_PROMPT_CHARS:
        lines = lines[:MAX_LINES]
        last = lines[-1]
        while last and font.getlength(last + "…") > max_w:
            last = last[:-1]
        lines[-1] = last.rstrip() + "…"
    return lines


def _overlay_text(img: Image.Image, prompt: str) -> None:
    """The prompt in a translucent box, and the offline label in the bottom-right corner."""
    w, h = img.size
    side = min(w, h)
    layer = Image.new("RGBA", img.size, (0, 0, 0, 0))
    d = ImageDraw.Draw(layer)
    text = " ".join(prompt.split())[: MAX_PROMPT_CHARS + 1]
    if text:
        font = _font(max(10, side // 20))
        pad, line_h = font.size // 2, round(font.size * 1.3)
        lines = _wrap(text, font, w * 0.8 - 2 * pad)
        box_w = max(font.getlength(s) for s in lines) + 2 * pad
        box_h = line_h * len(lines) + 2 * pad
        x0, y0 = (w - box_w) / 2, h * 0.62 - box_h / 2
        d.rounded_rectangle((x0, y0, x0 + box_w, y0 + box_h), radius=pad, fill=(0, 0, 0, 110))
        for i, s in enumerate(lines):
            xy = (w / 2, y0 + pad + i * line_h)
            d.text(xy, s, font=font, fill=(255, 255, 255, 235), anchor="ma")
    small = _font(max(8, side // 42))
    m = max(3, small.size // 2)
    lw = small.getlength(LABEL)
    lx, ly = w - lw - 2 * m, h - small.size - 2.5 * m
    d.rectangle((lx - m, ly - m / 2, w - m, h - m), fill=(0, 0, 0, 100))
    d.text((lx, ly), LABEL, font=small, fill=(255, 255, 255, 210))
    img.alpha_composite(layer)


def _prompt_drawing(
    prompt: str, negative_prompt: str | None, seed: int, w: int, h: int
) -> Image.Image:
    """The prompt's seeded gradient and shapes (no text), RGBA."""
    key = f"{prompt}\x00{negative_prompt or ''}\x00{seed}\x00{w}x{h}".encode()
    rng = random.Random(int.from_bytes(hashlib.sha256(key).digest(), "big"))
    palette = _palette(prompt, rng)
    c1, c2 = _jitter(palette[0], rng), _jitter(palette[1], rng)
    img = _gradient(w, h, c1, c2, rng.uniform(0, 360)).convert("RGBA")
    img.alpha_composite(_shapes(w, h, palette, rng))
    return img


def render_preview(prompt: str, negative_prompt: str | None, seed: int, w: int, h: int) -> bytes:
    """One deterministic PNG for this prompt and seed."""
    img = _prompt_drawing(prompt, negative_prompt, seed, w, h)
    _overlay_text(img, prompt)
    buf = io.BytesIO()
    # No pnginfo, fixed compression: byte-identical output for identical input.
    img.convert("RGB").save(buf, format="PNG", optimize=False, compress_level=6)
    return buf.getvalue()


def _source_palette(img: Image.Image) -> list[RGB]:
    """The source's three most common colours (of a 16-colour quantisation)."""
    small = img.convert("RGB").resize((32, 32), Image.Resampling.BILINEAR)
    quant = small.quantize(colors=16, method=Image.Quantize.MEDIANCUT)
    flat = quant.getpalette() or []
    counts = sorted(quant.getcolors() or [], reverse=True)
    colours: list[RGB] = []
    for _, index in counts[:3]:
        assert isinstance(index, int)  # a palette image counts palette indices
        colours.append(_rgb(flat[3 * index : 3 * index + 3]))
    while len(colours) < 3:
        colours.append((128, 128, 128))
    return colours


def _open_rgb(data: bytes, size: tuple[int, int]) -> Image.Image:
    """Decode a reference, shrunk to little more than ``size`` (the reframing zooms in by
    at most 1.16; a large upload then costs little more than a small one, and JPEGs are
    reduced while decoding).

    Raises:
        ProviderPermanent: not a readable image.
    """
    try:
        with Image.open(io.BytesIO(data)) as opened:
            bound = (round(size[0] * REFERENCE_OVERSIZE), round(size[1] * REFERENCE_OVERSIZE))
            opened.thumbnail(bound, Image.Resampling.BILINEAR)
            return opened.convert("RGB")
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise ProviderPermanent(reason="a reference image could not be read") from exc


def _reframed(base: Image.Image, rng: random.Random, w: int, h: int) -> Image.Image:
    """A seeded reframing of the first reference at w x h: tilt by up to 3 degrees, zoom
    in (enough to hide the tilted corners), shift within the margin, a colour cast of up
    to ±12% per channel and a veil of soft shapes in its own colours."""
    tilted = base.rotate(rng.uniform(-3, 3), Image.Resampling.BICUBIC)
    zoom = rng.uniform(1.08, 1.16)
    crop_w, crop_h = base.width / zoom, base.height / zoom
    x0 = (base.width - crop_w) / 2 + rng.uniform(-0.2, 0.2) * (zoom - 1.08) * base.width
    y0 = (base.height - crop_h) / 2 + rng.uniform(-0.2, 0.2) * (zoom - 1.08) * base.height
    img = tilted.resize((w, h), Image.Resampling.BICUBIC, box=(x0, y0, x0 + crop_w, y0 + crop_h))
    gains = [rng.uniform(0.88, 1.12) for _ in range(3)]
    bands = [
        band.point(lambda v, g=g: min(255, round(v * g)))
        for band, g in zip(img.split(), gains, strict=True)
    ]
    img = Image.merge("RGB", bands).convert("RGBA")
    img.alpha_composite(_shapes(w, h, _source_palette(base), rng))
    return img


def _blend_in(img: Image.Image, other: Image.Image, rng: random.Random) -> None:
    """Blend ``other`` (cropped to fill) into ``img``, strongest on a seeded side and
    fading out across the picture."""
    w, h = img.size
    filled = ImageOps.fit(other, (w, h), Image.Resampling.BILINEAR).convert("RGBA")
    ramp = Image.linear_gradient("L").resize((TINT_SIDE, TINT_SIDE))
    ramp = ramp.rotate(rng.uniform(0, 360), Image.Resampling.BILINEAR, fillcolor=0)
    mask = ramp.resize((w, h), Image.Resampling.BILINEAR)
    mask = mask.point(lambda v: round(v * BLEND_MAX_ALPHA))
    img.paste(Image.composite(filled, img, mask), (0, 0))


class References:
    """The references of one request, decoded once for all its images, and a key that
    stands for their bytes (what makes the pictures deterministic)."""

    def __init__(self, references: list[bytes], w: int, h: int) -> None:
        """Raises: ProviderPermanent (a reference is not a readable image)."""
        digest = hashlib.sha256()
        for data in references:
            digest.update(hashlib.sha256(data).digest())
        self.key = digest.digest()
        self.images = [_open_rgb(data, (w, h)) for data in references]


def render_references(
    references: References,
    prompt: str,
    negative_prompt: str | None,
    seed: int,
    w: int,
    h: int,
) -> bytes:
    """One deterministic PNG drawn from every reference (the first as the base, the others
    blended in) with the prompt's drawing lightly over it; differs with ``seed``."""
    key = references.key + f"\x00{prompt}\x00{negative_prompt or ''}\x00{seed}\x00{w}x{h}".encode()
    rng = random.Random(int.from_bytes(hashlib.sha256(key).digest(), "big"))
    decoded = references.images
    img = _reframed(decoded[0], rng, w, h)
    for other in decoded[1:]:
        _blend_in(img, other, rng)
    # The prompt's drawing, made small and scaled up, laid lightly over the whole.
    scale = min(1.0, TINT_SIDE / max(w, h))
    small_w, small_h = max(16, round(w * scale)), max(16, round(h * scale))
    tint = _prompt_drawing(prompt, negative_prompt, seed, small_w, small_h).resize(
        (w, h), Image.Resampling.BILINEAR
    )
    img = Image.blend(img, tint, PROMPT_TINT_ALPHA)
    _overlay_text(img, "")  # the offline label only; the references carry the picture
    buf = io.BytesIO()
    img.convert("RGB").save(buf, format="PNG", optimize=False, compress_level=6)
    return buf.getvalue()


class LocalProvider:
    """Offline preview images; never calls the network, costs nothing."""

    name = "local"

    async def generate(self, spec: GenerationSpec) -> GenerationResult:
        if not (MIN_SIDE <= spec.width <= MAX_SIDE and MIN_SIDE <= spec.height <= MAX_SIDE):
            raise ProviderPermanent(reason=f"size {spec.width}x{spec.height} out of range")
        if not 1 <= spec.image_count <= MAX_COUNT:
            raise ProviderPermanent(reason=f"image_count {spec.image_count} out of range")
        w, h = spec.width, spec.height
        base = spec.seed if spec.seed is not None else prompt_seed(spec.prompt)
        images = []
        references = None
        if spec.reference_images:
            datas = [reference.data for reference in spec.reference_images]
            references = await asyncio.to_thread(References, datas, w, h)
        for i in range(spec.image_count):
            if references is not None:
                data = await asyncio.to_thread(
                    render_references,
                    references,
                    spec.prompt,
                    spec.negative_prompt,
                    base + i,
                    w,
                    h,
                )
            else:
                data = await asyncio.to_thread(
                    render_preview, spec.prompt, spec.negative_prompt, base + i, w, h
                )
            images.append(GeneratedImage(data=data, mime="image/png", width=w, height=h))
        return GenerationResult(images=images, provider_job_id=None, cost_usd=0.0)
