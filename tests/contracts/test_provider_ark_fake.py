"""The Ark fake refuses what BytePlus ModelArk refuses for Seedream
``/api/v3/images/generations``, in Ark's error shape.

Sources: "docs" is the ModelArk / Volcengine Ark image-generation API page for Seedream
4.0 (``Authorization: Bearer``; ``image``: a string, or an array for several images,
"up to 14 reference images" on Seedream 4.0/4.5/5.0, one on SeedEdit 3.0, none on the 3.0
text-to-image model; each an accessible URL or Base64 as
``data:image/<format>;base64,<data>``, format jpeg or png, at most 10 MB, width and height
above 14 px, aspect ratio within [1/3, 3], at most 6000x6000 pixels; errors
``{"error": {"code", "message", "param", "type"}}``, moderation as 400
``…SensitiveContentDetected``), read through several API resellers' verbatim copies
and the project's provider reference (shared/reference/providers.md, section 8).
"codes": Ark's error-code list (``AuthenticationError`` 401,
``InvalidEndpointOrModel.NotFound`` 404,
``InvalidParameter`` 400).
"""

from __future__ import annotations

import base64
import io

import httpx
import pytest
from PIL import Image

from tests.support.fake_ark import API_KEY, make_app
from tests.support.servers import serve_asgi

MODEL = "seedream-4-5-251128"


@pytest.fixture
async def post():
    async with serve_asgi(make_app()) as url, httpx.AsyncClient(timeout=30) as http:

        async def call(body: dict, *, auth: str | None = f"Bearer {API_KEY}") -> httpx.Response:
            headers = {"Authorization": auth} if auth else {}
            full = {"model": MODEL, "prompt": "a boat", "size": "2048x2048"} | body
            return await http.post(f"{url}/api/v3/images/generations", json=full, headers=headers)

        yield call


def encoded(width: int, height: int, fmt: str = "PNG", mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, (width, height), 0 if mode == "L" else (200, 30, 40)).save(out, fmt)
    return out.getvalue()


def data_url(data: bytes, fmt: str = "png") -> str:
    return f"data:image/{fmt};base64,{base64.b64encode(data).decode()}"


def refused(response: httpx.Response, status: int, code: str, param: str = "") -> None:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code and isinstance(error["message"], str)
    if param:
        assert error["param"] == param


async def test_a_data_url_reference_is_drawn_from(post):  # docs
    answer = await post({"image": data_url(encoded(64, 64)), "response_format": "b64_json"})
    assert answer.status_code == 200, answer.text
    png = base64.b64decode(answer.json()["data"][0]["b64_json"])
    with Image.open(io.BytesIO(png)) as img:
        assert img.convert("RGB").getpixel((0, 0)) == (200, 30, 40)


@pytest.mark.parametrize("auth", [None, "Key ark-test-key", "Bearer wrong"])
async def test_missing_or_wrong_auth_is_401(post, auth):  # docs; codes
    refused(await post({}, auth=auth), 401, "AuthenticationError")


async def test_an_unknown_model_is_404(post):  # codes
    refused(await post({"model": "no-such-model"}), 404, "InvalidEndpointOrModel.NotFound")


@pytest.mark.parametrize(
    ("marker", "code"),
    [
        ("[refuse-input]", "InputTextSensitiveContentDetected"),
        ("[refuse]", "OutputImageSensitiveContentDetected"),
    ],
)
async def test_moderation_is_400_with_a_sensitive_content_code(post, marker, code):  # docs
    refused(await post({"prompt": f"{marker} a boat"}), 400, code)


@pytest.mark.parametrize(
    ("image", "why"),
    [
        (data_url(encoded(64, 64, "GIF"), "gif"), "format other than jpeg or png"),
        (data_url(encoded(64, 64), "PNG"), "format not in lowercase"),
        (data_url(encoded(64, 64), "jpeg"), "declared jpeg, bytes png"),
        ("data:image/png;base64,!!!not-base64!!!", "not Base64"),
        ("data:image/png," + "iVBOR", "not marked ;base64"),
        (data_url(encoded(14, 64)), "a side of 14 px"),
        (data_url(encoded(200, 64)), "aspect ratio above 3"),
        ("http://127.0.0.1:9/unreachable.png", "a link Ark cannot reach"),
        ("file:///etc/hostname", "neither a URL nor a data URL"),
    ],
    ids=lambda value: value if len(value) < 40 else None,
)
async def test_a_reference_image_breaking_the_input_rules_is_400(post, image, why):  # docs
    refused(await post({"image": image}), 400, "InvalidParameter", param="image")


async def test_a_reference_over_10_mb_is_400(post):  # docs: "no more than 10 MB"
    padding = b"\x00" * (10 * 1024 * 1024)  # valid PNG bytes followed by junk past the cap
    refused(await post({"image": data_url(encoded(64, 64) + padding)}), 400, "InvalidParameter")


async def test_a_reference_over_6000x6000_pixels_is_400(post):  # docs
    big = data_url(encoded(6001, 6000, mode="L"))
    refused(await post({"image": big}), 400, "InvalidParameter", param="image")


# -- several reference images ("image": string or array; up to 14 on Seedream 4.x/5.x) ----


async def test_an_array_of_references_is_drawn_from(post):  # docs
    red, blue = data_url(encoded(64, 64)), data_url(encoded(64, 64, mode="L"))
    answer = await post({"image": [red, blue], "response_format": "b64_json"})
    assert answer.status_code == 200, answer.text
    png = base64.b64decode(answer.json()["data"][0]["b64_json"])
    with Image.open(io.BytesIO(png)) as img:
        assert img.convert("RGB").getpixel((0, 0)) == (100, 15, 20)  # both averaged


async def test_fourteen_references_pass_fifteen_are_400(post):  # docs: "up to 14"
    one = data_url(encoded(16, 16))
    assert (await post({"image": [one] * 14})).status_code == 200
    refused(await post({"image": [one] * 15}), 400, "InvalidParameter", param="image")


@pytest.mark.parametrize(
    ("image", "why"),
    [([], "an empty array"), ([7], "an entry that is not a string"), (7, "not a string")],
)
async def test_a_malformed_image_field_is_400(post, image, why):  # docs
    refused(await post({"image": image}), 400, "InvalidParameter", param="image")


async def test_a_reference_on_the_text_to_image_model_is_400(post):  # docs: 3.0 t2i: text only
    body = {"model": "seedream-3-0-t2i-250415", "size": "1024x1024"}
    assert (await post(body)).status_code == 200
    answer = await post({**body, "image": data_url(encoded(64, 64))})
    refused(answer, 400, "InvalidParameter", param="image")


async def test_seededit_3_takes_one_image_not_an_array(post):  # docs: SeedEdit 3.0 i2i
    body = {"model": "seededit-3-0-i2i-250628", "size": "1024x1024"}
    one = data_url(encoded(64, 64))
    assert (await post({**body, "image": one})).status_code == 200
    refused(await post({**body, "image": [one]}), 400, "InvalidParameter", param="image")
