"""The OpenAI Images fake refuses what the real API refuses, in OpenAI's error shape
``{"error": {"message", "type", "param", "code"}}``, and OpenAIProvider's own requests
pass it. One case per rule our client relies on, each naming its source:

- "SDK": openai/openai-python ``types/image_generate_params.py`` (``n`` 1-10, GPT-image
  sizes 1024x1024 / 1536x1024 / 1024x1536 / auto, ``response_format`` for DALL·E only:
  GPT-image always answers ``b64_json``);
- "errors guide": platform.openai.com/docs/guides/error-codes (401 for a missing or
  wrong key, code ``invalid_api_key``; a model that does not exist: ``model_not_found``);
- "deprecations": OpenAI's deprecations page (dall-e-2/-3 shut down 2026-05-12);
- "reference": the project's checked provider notes, §1;
- "edits SDK": openai-python ``resources/images.py`` ``edit`` (multipart/form-data, the
  images as file parts ``image`` or ``image[]``) and ``types/image_edit_params.py`` (GPT
  image models: png, webp or jpg, up to 16 images);
- "threads": OpenAI's error bodies quoted in public issues: ``unsupported_content_type``
  (microsoft/genaiscript #1913, openai/openai-python #2749), ``unsupported_file_mimetype``
  naming ``image[0]`` (prism-php/prism #725), ``invalid_image_file`` of type
  ``image_generation_user_error`` (lofcz/LLMTornado #105).
"""

from __future__ import annotations

import io
from collections.abc import AsyncIterator

import httpx
import pytest
from PIL import Image

from core.errors import ProviderPermanent
from core.providers.base import GenerationSpec, SourceImage
from core.providers.openai import OpenAIProvider
from tests.support.fake_openai import FakeOpenAI
from tests.support.servers import serve_asgi

KEY = "sk-test-openai"
GOOD = {"model": "gpt-image-2", "prompt": "a red fox", "n": 1, "size": "1024x1024"}


@pytest.fixture
async def fake() -> AsyncIterator[tuple[FakeOpenAI, str, httpx.AsyncClient]]:
    app = FakeOpenAI(api_key=KEY)
    async with serve_asgi(app) as url, httpx.AsyncClient(timeout=30) as http:
        yield app, f"{url}/v1", http


async def _post(fake, body: dict, headers: dict | None = None) -> httpx.Response:
    _, base, http = fake
    headers = {"Authorization": f"Bearer {KEY}"} if headers is None else headers
    return await http.post(f"{base}/images/generations", json=body, headers=headers)


def _error(response: httpx.Response, status: int, **expected) -> dict:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert set(error) == {"message", "type", "param", "code"} and error["message"]
    for key, value in expected.items():
        assert error[key] == value, error
    return error


async def test_the_clients_own_request_passes_and_gets_base64(fake):
    app, base, http = fake
    provider = OpenAIProvider(http, api_key=KEY, base_url=base)
    spec = GenerationSpec("a fox", None, "gpt-image-2", "3:2", 1536, 1024, None, 2)
    result = await provider.generate(spec)
    assert len(result.images) == 2
    assert "response_format" not in app.requests[0].json  # SDK: GPT-image takes none


@pytest.mark.parametrize(
    "headers", [{}, {"Authorization": "Bearer sk-wrong"}, {"Authorization": KEY}]
)
async def test_missing_or_wrong_key_is_401_invalid_api_key(fake, headers):
    # errors guide: 401 "Incorrect API key provided", code invalid_api_key
    _error(await _post(fake, GOOD, headers), 401, code="invalid_api_key")


@pytest.mark.parametrize("model", ["gpt-imagine-9", "dall-e-3", "dall-e-2"])
async def test_an_unknown_or_retired_model_is_model_not_found(fake, model):
    # errors guide (model_not_found); deprecations: DALL·E is gone
    _error(await _post(fake, {**GOOD, "model": model}), 404, code="model_not_found")


@pytest.mark.parametrize("size", ["1792x1024", "512x512", "16:9", "2048x2048"])
async def test_a_size_gpt_image_1_does_not_offer_is_400(fake, size):
    # SDK: size Literal["auto", "1024x1024", "1536x1024", "1024x1536", ...DALL·E sizes]
    body = {**GOOD, "model": "gpt-image-1", "size": size}
    _error(await _post(fake, body), 400, param="size")


@pytest.mark.parametrize(
    "size", ["1000x1000", "4096x1024", "3840x2880", "4000x1600", "16:9", "0x0", "auto-ish"]
)
async def test_a_gpt_image_2_size_outside_its_bounds_is_400(fake, size):
    # SDK: sides divisible by 16, aspect ratio 1:3 to 3:1, at most 3840x2160
    _error(await _post(fake, {**GOOD, "size": size}), 400, param="size")


@pytest.mark.parametrize("size", ["1536x864", "2048x2048", "3840x2160", "1792x1024", "auto"])
async def test_gpt_image_2_takes_any_size_within_its_bounds(fake, size):
    # SDK: "For gpt-image-2 ... arbitrary resolutions are supported as WIDTHxHEIGHT"
    assert (await _post(fake, {**GOOD, "size": size})).status_code == 200


@pytest.mark.parametrize("n", [0, 11, "2"])
async def test_n_outside_1_to_10_is_400(fake, n):
    # SDK: "n: Must be between 1 and 10."
    _error(await _post(fake, {**GOOD, "n": n}), 400, param="n")


@pytest.mark.parametrize("response_format", ["url", "b64_json"])
async def test_response_format_is_refused_for_gpt_image(fake, response_format):
    # SDK: "response_format ... only supported for dall-e-2 and dall-e-3";
    # GPT-image models always return base64-encoded images
    body = {**GOOD, "response_format": response_format}
    _error(await _post(fake, body), 400, param="response_format")


async def test_a_missing_prompt_is_400(fake):
    # SDK: prompt is Required
    _error(await _post(fake, {"model": "gpt-image-2"}), 400, param="prompt")


async def test_the_client_treats_a_refused_request_as_permanent(fake):
    _, base, http = fake
    provider = OpenAIProvider(http, api_key=KEY, base_url=base)
    spec = GenerationSpec("a fox", None, "dall-e-3", "1:1", 1024, 1024, None, 1)
    with pytest.raises(ProviderPermanent, match="404"):
        await provider.generate(spec)


# -- image edits ---------------------------------------------------------------------------

EDIT_FIELDS = {"model": "gpt-image-2", "prompt": "make it blue", "n": "1", "size": "1024x1024"}


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (1, 2, 3)).save(out, format="PNG")
    return out.getvalue()


async def _edit(fake, files: list, data: dict | None = None) -> httpx.Response:
    _, base, http = fake
    return await http.post(
        f"{base}/images/edits",
        data=EDIT_FIELDS if data is None else data,
        files=files,
        headers={"Authorization": f"Bearer {KEY}"},
    )


async def test_the_clients_edit_request_passes(fake):
    app, base, http = fake
    provider = OpenAIProvider(http, api_key=KEY, base_url=base)
    reference = SourceImage(_png(), "image/png", "http://127.0.0.1:9/x", 8, 8)
    spec = GenerationSpec("a fox", None, "gpt-image-2", "1:1", 1024, 1024, None, 1, (reference,))
    assert len((await provider.generate(spec)).images) == 1
    assert app.requests[0].path == "/v1/images/edits"


@pytest.mark.parametrize("field", ["image", "image[]"])
async def test_one_image_as_image_or_image_array_passes(fake, field):
    # edits SDK: a single file goes as `image`, a list as `image[]`
    response = await _edit(fake, [(field, ("a.png", _png(), "image/png"))])
    assert response.status_code == 200, response.text
    assert response.json()["data"][0]["b64_json"]


async def test_a_json_body_to_edits_is_refused_as_an_unsupported_content_type(fake):
    # edits SDK: multipart/form-data only; threads: 400 unsupported_content_type
    _, base, http = fake
    body = {**EDIT_FIELDS, "image": "data:image/png;base64,AAAA"}
    response = await http.post(
        f"{base}/images/edits", json=body, headers={"Authorization": f"Bearer {KEY}"}
    )
    error = _error(response, 400, code="unsupported_content_type", type="invalid_request_error")
    assert "only accepts 'multipart/form-data'" in error["message"]


async def test_edits_without_an_image_are_400(fake):
    # edits SDK: image is Required
    _error(await _edit(fake, [("mask", ("m.png", _png(), "image/png"))]), 400, param="image")


async def test_more_than_sixteen_images_are_400(fake):
    # edits SDK: "You can provide up to 16 images"
    files = [("image[]", (f"{i}.png", _png(), "image/png")) for i in range(17)]
    _error(await _edit(fake, files), 400, param="image")
    assert (await _edit(fake, files[:16])).status_code == 200


@pytest.mark.parametrize("mime", ["application/octet-stream", "image/gif", "text/plain"])
async def test_a_part_of_another_type_is_unsupported_file_mimetype(fake, mime):
    # edits SDK: png, webp or jpg; threads: the part's content type decides, param image[0]
    files = [("image[]", ("a.png", _png(), mime))]
    error = _error(await _edit(fake, files), 400, code="unsupported_file_mimetype")
    assert error["param"] == "image[0]" and mime in error["message"]


async def test_a_part_that_is_not_an_image_is_invalid_image_file(fake):
    # threads: 400 invalid_image_file, type image_generation_user_error
    files = [
        ("image[]", ("a.png", _png(), "image/png")),
        ("image[]", ("b.png", b"<html>not an image</html>", "image/png")),
    ]
    error = _error(
        await _edit(fake, files), 400, code="invalid_image_file", type="image_generation_user_error"
    )
    assert "image 2" in error["message"]


async def test_edits_check_the_key_and_the_shared_fields(fake):
    # errors guide: 401 invalid_api_key; SDK: n 1-10, sizes divisible by 16
    _, base, http = fake
    files = [("image[]", ("a.png", _png(), "image/png"))]
    response = await http.post(
        f"{base}/images/edits", data=EDIT_FIELDS, files=files, headers={"Authorization": "x"}
    )
    _error(response, 401, code="invalid_api_key")
    _error(await _edit(fake, files, {**EDIT_FIELDS, "n": "11"}), 400, param="n")
    _error(await _edit(fake, files, {**EDIT_FIELDS, "size": "1000x1000"}), 400, param="size")
