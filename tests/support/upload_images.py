"""Images a user might bring as references, friendly and hostile, built in memory.

The hostile ones are built by hand where Pillow would refuse to write them (a PNG whose
header declares more pixels than its data holds): the PNG layout (signature, chunks
with a CRC-32 each, IHDR first, zlib-compressed scanlines each led by a filter byte)
is the PNG specification's (W3C PNG 3rd edition, sections 5.2-5.3, 11.2.1, 7.3)."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image, ImageCms
from PIL.ExifTags import GPS, IFD, Base

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Where the geotagged photo claims to be taken (degrees, minutes, seconds).
GPS_LATITUDE = (48.0, 51.0, 29.0)
GPS_LONGITUDE = (2.0, 17.0, 40.0)
CAMERA_SERIAL = "SN-0042-SECRET"


def png(size: tuple[int, int] = (64, 48), color=(200, 40, 40), mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, color).save(out, "PNG")
    return out.getvalue()


def jpeg(size: tuple[int, int] = (64, 48), color=(40, 120, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "JPEG", quality=90)
    return out.getvalue()


def webp(size: tuple[int, int] = (64, 48), color=(10, 200, 90)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "WEBP", lossless=True)
    return out.getvalue()


def gif(size: tuple[int, int] = (64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("P", size, 3).save(out, "GIF")
    return out.getvalue()


def geotagged_jpeg(size: tuple[int, int] = (80, 40), *, orientation: int = 6) -> bytes:
    """A camera photo: EXIF with a GPS position, a camera serial number and an
    orientation (6: the picture must be turned 90° clockwise to stand upright), plus an
    XMP packet, an ICC profile and a comment."""
    exif = Image.Exif()
    exif[Base.Make] = "SeedCam"
    exif[Base.Model] = "Leaky 1"
    exif[Base.Orientation] = orientation
    exif[Base.Software] = "seedream-tests"
    # Sub-IFDs set as whole dicts: before Pillow 10.4 (our floor is 10.3), a dict that
    # get_ifd() returns for an IFD not yet present is not kept in the Exif.
    exif[IFD.Exif] = {Base.BodySerialNumber: CAMERA_SERIAL}
    exif[IFD.GPSInfo] = {
        GPS.GPSLatitudeRef: "N",
        GPS.GPSLatitude: GPS_LATITUDE,
        GPS.GPSLongitudeRef: "E",
        GPS.GPSLongitude: GPS_LONGITUDE,
    }
    image = Image.new("RGB", size, (30, 30, 30))
    image.paste((250, 250, 250), (0, 0, size[0] // 4, size[1]))  # a light band on the left
    out = io.BytesIO()
    image.save(
        out,
        "JPEG",
        quality=90,
        exif=exif,
        icc_profile=ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes(),
        comment=b"seedream-comment-secret",
    )
    # The XMP packet as its own APP1 segment right after the start of image (Pillow
    # writes ``xmp=`` only from 11.0; our floor is 10.3).
    packet = b'http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta xmlns:x="adobe:ns:meta/">'
    packet += b"seedream-xmp-secret</x:xmpmeta>"
    data = out.getvalue()
    segment = b"\xff\xe1" + (len(packet) + 2).to_bytes(2, "big") + packet
    return data[:2] + segment + data[2:]


def rgba_png_with_metadata(size: tuple[int, int] = (32, 32)) -> bytes:
    """A PNG with transparency, EXIF, an ICC profile and text chunks."""
    from PIL.PngImagePlugin import PngInfo

    exif = Image.Exif()
    exif[Base.Make] = "SeedCam"
    info = PngInfo()
    info.add_text("Comment", "seedream-png-text-secret")
    info.add_itxt("XML:com.adobe.xmp", "seedream-xmp-secret")
    out = io.BytesIO()
    Image.new("RGBA", size, (10, 20, 30, 128)).save(
        out,
        "PNG",
        exif=exif,
        pnginfo=info,
        icc_profile=ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes(),
    )
    return out.getvalue()


def animated_gif(frames: int = 3) -> bytes:
    images = [Image.new("RGB", (32, 32), (i * 80, 255 - i * 80, 0)) for i in range(frames)]
    out = io.BytesIO()
    images[0].save(out, "GIF", save_all=True, append_images=images[1:], duration=100)
    return out.getvalue()


def animated_png(frames: int = 3) -> bytes:
    images = [Image.new("RGB", (32, 32), (i * 60, 0, 0)) for i in range(frames)]
    out = io.BytesIO()
    images[0].save(out, "PNG", save_all=True, append_images=images[1:], duration=100)
    return out.getvalue()


def animated_webp(frames: int = 3) -> bytes:
    images = [Image.new("RGB", (32, 32), (0, i * 60, 0)) for i in range(frames)]
    out = io.BytesIO()
    images[0].save(out, "WEBP", save_all=True, append_images=images[1:], duration=100)
    return out.getvalue()


def multi_picture_jpeg() -> bytes:
    """A camera's MPO: a JPEG followed by a second picture (a depth map or preview)."""
    images = [Image.new("RGB", (48, 32), (90, 90, 200)), Image.new("RGB", (24, 16), 0)]
    out = io.BytesIO()
    images[0].save(out, "MPO", save_all=True, append_images=images[1:])
    return out.getvalue()


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _ihdr(width: int, height: int, *, bit_depth: int, color_type: int) -> bytes:
    return _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, 0))


def decompression_bomb_png(side: int = 30_000) -> bytes:
    """A real, valid PNG of ``side``×``side`` black pixels (1 bit each): a few hundred
    kB that decode to ``side``² pixels (900 megapixels by default, gigabytes once
    converted)."""
    row = b"\x00" + b"\x00" * ((side + 7) // 8)  # filter "none", then the packed bits
    compressor = zlib.compressobj(9)
    parts = [compressor.compress(row) for _ in range(side)]
    parts.append(compressor.flush())
    idat = b"".join(parts)
    return (
        PNG_SIGNATURE
        + _ihdr(side, side, bit_depth=1, color_type=0)
        + _chunk(b"IDAT", idat)
        + _chunk(b"IEND", b"")
    )


def huge_header_png(width: int = 2_000_000, height: int = 2_000_000) -> bytes:
    """A PNG whose IHDR declares ``width``×``height`` RGB pixels and whose data holds
    one short row: a file of a hundred bytes announcing trillions of pixels."""
    idat = zlib.compress(b"\x00" + b"\x00" * 30)
    return (
        PNG_SIGNATURE
        + _ihdr(width, height, bit_depth=8, color_type=2)
        + _chunk(b"IDAT", idat)
        + _chunk(b"IEND", b"")
    )


def header_png(width: int, height: int) -> bytes:
    """A PNG header for ``width``×``height`` with almost no data (unreadable past it)."""
    return huge_header_png(width, height)


def truncated_jpeg() -> bytes:
    data = jpeg((256, 256))
    return data[: len(data) // 2]


def bmp() -> bytes:
    """A real image, of a format references are not taken in."""
    out = io.BytesIO()
    Image.new("RGB", (16, 16), (1, 2, 3)).save(out, "BMP")
    return out.getvalue()


NOT_AN_IMAGE = b"<html><body>This is a web page saved as holiday.png</body></html>\n"
