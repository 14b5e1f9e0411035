"""LocalProvider: deterministic, honest offline previews of the requested size and count."""

from __future__ import annotations

import dataclasses
import io

import pytest
from PIL import Image, ImageChops, ImageStat

from core.errors import ProviderPermanent
from core.providers.base import GenerationSpec, SourceImage
from core.providers.local import LocalProvider, prompt_seed, render_preview

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def make_spec(**overrides: object) -> GenerationSpec:
    base = GenerationSpec(
        prompt="a red fox in snow",
        negative_prompt=None,
        model="preview",
        aspect_ratio="1:1",
        width=128,
        height=128,
        seed=42,
        image_count=1,
    )
    return dataclasses.replace(base, **overrides)


async def generate(**overrides: object) -> list[bytes]:
    result = await LocalProvider().generate(make_spec(**overrides))
    return [img.data for img in result.images]


def open_png(data: bytes) -> Image.Image:
    img = Image.open(io.BytesIO(data))
    img.load()
    return img


def test_name_is_local() -> None:
    assert LocalProvider.name == "local"


async def test_same_request_gives_identical_bytes() -> None:
    first = await generate(seed=7, image_count=2)
    second = await generate(seed=7, image_count=2)
    assert first == second
    assert all(d.startswith(PNG_MAGIC) for d in first)


async def test_different_seed_gives_different_bytes() -> None:
    [a] = await generate(seed=1)
    [b] = await generate(seed=2)
    assert a != b


async def test_different_prompt_or_negative_prompt_gives_different_bytes() -> None:
    [a] = await generate(prompt="a red fox in snow")
    [b] = await generate(prompt="a blue whale in the ocean")
    [c] = await generate(negative_prompt="blurry")
    assert len({a, b, c}) == 3


@pytest.mark.parametrize(("width", "height"), [(1024, 576), (64, 4096), (333, 77)])
async def test_output_is_png_of_requested_size(width: int, height: int) -> None:
    result = await LocalProvider().generate(make_spec(width=width, height=height))
    [image] = result.images
    assert (image.width, image.height, image.mime) == (width, height, "image/png")
    opened = open_png(image.data)
    assert opened.format == "PNG"
    assert opened.size == (width, height)
    assert result.provider_job_id is None
    assert result.cost_usd == 0.0


async def test_png_carries_no_metadata_chunks() -> None:
    [data] = await generate()
    # Only structural chunks: no tEXt/tIME that could vary between runs.
    assert b"tIME" not in data
    assert b"tEXt" not in data
    assert open_png(data).info.keys() <= {"dpi", "gamma"}


async def test_image_count_honoured_with_distinct_images() -> None:
    images = await generate(seed=100, image_count=4)
    assert len(images) == 4
    assert len(set(images)) == 4
    # Image i of a multi-image request is image 0 of a request with seed + i.
    [third] = await generate(seed=102)
    assert images[2] == third


async def test_seed_none_is_deterministic_and_derived_from_prompt() -> None:
    first = await generate(seed=None, image_count=2)
    second = await generate(seed=None, image_count=2)
    assert first == second
    [explicit] = await generate(seed=prompt_seed("a red fox in snow"))
    assert first[0] == explicit
    [other_prompt] = await generate(seed=None, prompt="a quiet harbour at dawn")
    assert other_prompt != first[0]


async def test_colour_words_steer_the_palette() -> None:
    [data] = await generate(prompt="red red red", width=256, height=256)
    r, g, b = open_png(data).convert("RGB").resize((1, 1), Image.Resampling.BOX).getpixel((0, 0))
    assert r > g + 20 and r > b + 20


def test_label_is_drawn_in_bottom_right_corner() -> None:
    # Light label text on a dark box gives strong contrast in a corner that would
    # otherwise hold only a smooth gradient.
    img = open_png(render_preview("white", None, 5, 512, 512)).convert("L")
    low, high = img.crop((400, 485, 500, 500)).getextrema()
    assert high - low > 100
    low, high = img.crop((400, 20, 500, 35)).getextrema()  # same strip, top of the image
    assert high - low < 60


@pytest.mark.parametrize(
    "overrides",
    [
        {"width": 63},
        {"height": 63},
        {"width": 4097},
        {"height": 5000},
        {"width": 0},
        {"height": -10},
        {"image_count": 0},
        {"image_count": 9},
    ],
)
async def test_out_of_range_requests_are_permanent_errors(overrides: dict[str, int]) -> None:
    with pytest.raises(ProviderPermanent) as excinfo:
        await LocalProvider().generate(make_spec(**overrides))
    assert excinfo.value.reason


async def test_boundaries_are_accepted() -> None:
    images = await generate(width=64, height=64, image_count=8)
    assert len(images) == 8
    assert all(open_png(d).size == (64, 64) for d in images)


@pytest.mark.parametrize(
    "prompt",
    [
        "x" * 1000,
        "word " * 200,
        "一只在雪中的红狐狸 🦊❄️ лиса в снегу — صورة ثعلب",
        "tabs\tand\nnewlines\r\n and   spaces",
        "",
        "   ",
    ],
)
async def test_awkward_prompts_do_not_crash(prompt: str) -> None:
    [data] = await generate(prompt=prompt, width=200, height=120)
    assert open_png(data).size == (200, 120)
    [again] = await generate(prompt=prompt, width=200, height=120)
    assert again == data


# -- variations: drawn from the source pixels -----------------------------------------------


def _source(size: tuple[int, int] = (128, 128)) -> SourceImage:
    data = render_preview("a red fox in snow", None, 7, *size)
    return SourceImage(data=data, mime="image/png", url="unused://", width=size[0], height=size[1])


def _mean_difference(a: bytes, b: bytes) -> float:
    diff = ImageChops.difference(open_png(a).convert("RGB"), open_png(b).convert("RGB"))
    return sum(ImageStat.Stat(diff).mean) / 3


async def test_variation_is_deterministic_for_a_source_and_seed():
    source = _source()
    first = await generate(reference_images=(source,), seed=5, image_count=2)
    again = await generate(reference_images=(source,), seed=5, image_count=2)
    other_seed = await generate(reference_images=(source,), seed=6, image_count=2)
    assert first == again
    assert first[0] != first[1]  # each image of the grid has its own seed
    assert first != other_seed


async def test_variation_differs_from_the_source_but_stays_close_to_it():
    source = _source()
    (variation,) = await generate(reference_images=(source,), seed=5)
    assert variation != source.data
    unrelated = render_preview("a blue ocean at night", None, 7, 128, 128)
    close = _mean_difference(source.data, variation)
    assert 0 < close < _mean_difference(source.data, unrelated) / 2


async def test_variation_has_the_requested_size_from_any_source_size():
    (same,) = await generate(reference_images=(_source(),))
    assert open_png(same).size == (128, 128)
    (resized,) = await generate(reference_images=(_source((96, 64)),), width=192, height=128)
    assert open_png(resized).size == (192, 128)
    assert same.startswith(PNG_MAGIC)


async def test_the_prompt_tints_a_picture_drawn_from_references_lightly():
    source = _source()
    (red,) = await generate(reference_images=(source,), prompt="red red red")
    (blue,) = await generate(reference_images=(source,), prompt="blue blue blue")
    assert red != blue
    unrelated = render_preview("a blue ocean at night", None, 7, 128, 128)
    for drawn in (red, blue):  # still the source's picture, not the prompt's
        assert _mean_difference(source.data, drawn) < _mean_difference(source.data, unrelated) / 2
    r, _, b = _mean_rgb(red)
    r2, _, b2 = _mean_rgb(blue)
    assert r - b > r2 - b2 + 5  # the colour words steer the tint


def _mean_rgb(data: bytes) -> tuple[float, float, float]:
    r, g, b = ImageStat.Stat(open_png(data).convert("RGB")).mean
    return r, g, b


def _flat(colour: tuple[int, int, int], size: tuple[int, int] = (96, 96)) -> SourceImage:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="PNG")
    return SourceImage(out.getvalue(), "image/png", "unused://", *size)


async def test_several_references_change_the_picture_deterministically():
    fox, green, violet = _source(), _flat((20, 200, 40)), _flat((150, 20, 220))
    (alone,) = await generate(reference_images=(fox,), seed=5)
    (with_green,) = await generate(reference_images=(fox, green), seed=5)
    (again,) = await generate(reference_images=(fox, green), seed=5)
    (with_violet,) = await generate(reference_images=(fox, violet), seed=5)
    (swapped,) = await generate(reference_images=(green, fox), seed=5)
    (three,) = await generate(reference_images=(fox, green, violet), seed=5)
    assert with_green == again
    assert len({alone, with_green, with_violet, swapped, three}) == 5
    # Each further reference shows: the picture moves towards its colours.
    assert _mean_rgb(with_green)[1] > _mean_rgb(alone)[1] + 5
    assert _mean_rgb(with_violet)[2] > _mean_rgb(alone)[2] + 5
    # The first is the base: swapping the order changes which one dominates.
    assert _mean_rgb(swapped)[1] > _mean_rgb(with_green)[1] + 5


async def test_many_large_references_of_any_size_make_the_requested_size():
    refs = tuple(_flat((10 * i, 60, 120), (300 + 40 * i, 200)) for i in range(4))
    images = await generate(reference_images=refs, width=192, height=128, image_count=2)
    assert [open_png(d).size for d in images] == [(192, 128), (192, 128)]
    assert images[0] != images[1]


async def test_an_unreadable_further_reference_is_permanent():
    broken = SourceImage(data=b"<html>", mime="image/png", url="unused://", width=1, height=1)
    with pytest.raises(ProviderPermanent):
        await generate(reference_images=(_source(), broken))


async def test_unreadable_source_is_permanent():
    broken = SourceImage(data=b"<html>", mime="image/png", url="unused://", width=1, height=1)
    with pytest.raises(ProviderPermanent):
        await generate(reference_images=(broken,))


def test_source_image_repr_shows_no_link_or_bytes():
    source = SourceImage(data=b"\x89PNGsecret", mime="image/png", url="https://x/?sig=abc",
                         width=2, height=3)  # fmt: skip
    assert "sig" not in repr(source) and "secret" not in repr(source)
    assert "2x3" in repr(source)
