"""Benchmark: chat previews of 2048 x 2048 generated images (core.storage.derivatives).

The images: the offline ``local`` provider draws flat gradients and shapes that PNG packs
into ~0.7 MB, nothing like the 5-9 MB PNGs Seedream or GPT Image return at 2048 px, so it
would make the share below meaningless (it is printed, for information). The measured
images are synthetic "scenery": fractal noise, random colours at every scale from 4 to
2048 px, each octave finer at 0.75 of the amplitude of the one above (natural photos keep
about the same energy per octave; generated images are somewhat smoother), so that they
have texture at all scales and their PNGs weigh what a service's do (~6-7 MB). White
noise, the worst case for any encoder, is printed too, for information.

Three goals, each measured side by side in this run:

(a) ``preview_bytes_share``: preview bytes / original PNG bytes, summed over the images
    (target <= 15 %);
(b) ``preview_path_vs_bare_pillow_ratio``: one preview through the whole derivative path
    as the worker runs it (read the original from the local folder store, decode,
    resize, encode in a thread, store the preview) against a bare Pillow
    open-resize(LANCZOS)-save(JPEG q82, progressive) of the same bytes in memory; the two
    interleaved (alternating which goes first), the median of ``--runs`` each, per image;
    the ratio of the summed medians (target <= 1.3), milliseconds printed;
(c) ``preview_peak_memory_growth_mb``: the peak resident memory a preview adds. Pillow
    allocates its pixel buffers outside Python's allocator, so tracemalloc sees almost
    none of it (its figure is printed to show that); instead each measurement runs in a
    fresh subprocess that loads the original's bytes, resets the kernel's high-water
    mark (``/proc/self/clear_refs`` = 5), makes one preview, and reads ``VmHWM`` minus
    the ``VmRSS`` before (target <= 64 MB; the bare Pillow figure is printed beside it).
    Where clear_refs is missing, ``ru_maxrss`` growth is used (an upper bound's floor:
    imports may already have set the peak; said so in the output).

Exit code 0 for PASS and FAIL alike; non-zero only when nothing could be measured.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from PIL import Image, ImageOps  # noqa: E402

from core.storage.derivatives import (  # noqa: E402
    PREVIEW_EXTENSION,
    PREVIEW_JPEG_QUALITY,
    PREVIEW_MAX_SIDE_PX,
    make_preview,
)

SIDE_PX = 2048
SHARE_TARGET_PCT = 15.0
RATIO_TARGET = 1.3
MEMORY_TARGET_MB = 64.0
OCTAVE_FALLOFF = 0.75


def scenery(seed: int, side_px: int = SIDE_PX, falloff: float = OCTAVE_FALLOFF) -> Image.Image:
    """Fractal colour noise: random pixels at 4, 8, ... ``side_px`` px, upsampled and
    mixed with weights ``falloff ** octave`` (coarse to fine), contrast stretched."""
    rng = random.Random(seed)
    image: Image.Image | None = None
    total = 0.0
    size, octave = 4, 0
    while size <= side_px:
        weight = falloff**octave
        total += weight
        layer = Image.frombytes("RGB", (size, size), rng.randbytes(size * size * 3))
        if size < side_px:
            layer = layer.resize((side_px, side_px), Image.Resampling.BICUBIC)
        image = layer if image is None else Image.blend(image, layer, weight / total)
        size, octave = size * 2, octave + 1
    assert image is not None
    return ImageOps.autocontrast(image, cutoff=1)


def png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def local_provider_png(seed: int) -> bytes:
    from core.providers.local import render_preview

    return render_preview("a lighthouse on a cliff in a storm", None, seed, SIDE_PX, SIDE_PX)


def white_noise_png(seed: int) -> bytes:
    data = random.Random(seed).randbytes(SIDE_PX * SIDE_PX * 3)
    return png(Image.frombytes("RGB", (SIDE_PX, SIDE_PX), data))


def bare_pillow(data: bytes) -> bytes:
    """The baseline: what anyone would write with Pillow for the same result."""
    image = Image.open(io.BytesIO(data)).convert("RGB")
    scale = PREVIEW_MAX_SIDE_PX / max(image.size)
    size = (round(image.width * scale), round(image.height * scale))
    out = io.BytesIO()
    image.resize(size, Image.Resampling.LANCZOS).save(
        out, format="JPEG", quality=PREVIEW_JPEG_QUALITY, progressive=True
    )
    return out.getvalue()


async def whole_path(store, key: str) -> int:
    """As the worker does it (core.jobs.attempts): get, make in a thread, put."""
    data = await store.get(key)
    preview = await asyncio.to_thread(make_preview, data, "image/png")
    await store.put(
        key.replace(".png", f".preview.{PREVIEW_EXTENSION}"), preview.data, preview.mime
    )
    return len(preview.data)


async def timings(originals: list[bytes], runs: int) -> tuple[list[float], list[float]]:
    """Per image: (median ms of the whole path, median ms of bare Pillow), interleaved."""
    from core.storage.local import LocalObjectStore

    path_ms: list[float] = []
    bare_ms: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        store = LocalObjectStore(
            Path(tmp), public_base_url="http://127.0.0.1:9", signing_secret=b"bench-secret" * 3
        )
        for index, data in enumerate(originals):
            key = f"images/1/job{index}/1-bench/0.png"
            await store.put(key, data, "image/png")
            path_runs: list[float] = []
            bare_runs: list[float] = []
            await whole_path(store, key)  # warm: the first decode loads codecs
            bare_pillow(data)
            for run in range(runs):
                order = ("path", "bare") if run % 2 == 0 else ("bare", "path")
                for which in order:
                    started = time.perf_counter()
                    if which == "path":
                        await whole_path(store, key)
                        path_runs.append((time.perf_counter() - started) * 1000)
                    else:
                        bare_pillow(data)
                        bare_runs.append((time.perf_counter() - started) * 1000)
            path_ms.append(statistics.median(path_runs))
            bare_ms.append(statistics.median(bare_runs))
    return path_ms, bare_ms


# -- memory: one preview in a fresh process --------------------------------------------------


def _status_kb() -> dict[str, int]:
    values = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0])
    return values


def child_memory(which: str, source: Path) -> None:
    """Print JSON: RSS growth at the peak while making one preview of ``source``."""
    import gc
    import resource
    import tracemalloc

    data = source.read_bytes()
    gc.collect()
    method = "clear_refs"
    try:
        Path("/proc/self/clear_refs").write_text("5")  # VmHWM := VmRSS
    except OSError:
        method = "ru_maxrss"
    before = _status_kb()
    maxrss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    if which == "path":
        make_preview(data, "image/png")
    else:
        bare_pillow(data)
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    after = _status_kb()
    maxrss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if method == "clear_refs":
        growth_kb = after["VmHWM"] - before["VmRSS"]
    else:
        growth_kb = maxrss_after - maxrss_before
    print(
        json.dumps(
            {"growth_mb": growth_kb / 1024, "traced_mb": traced_peak / 2**20, "method": method}
        )
    )


def memory_in_child(which: str, source: Path) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child-memory", which, str(source)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


# -- main -------------------------------------------------------------------------------------


def goal(name: str, value: str, target: str, ok: bool) -> str:
    return f"{name}: {value} (target {target}) {'PASS' if ok else 'FAIL'}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--images", type=int, default=3, help="scenery images (seeds)")
    parser.add_argument("--runs", type=int, default=7, help="timed runs per image and side")
    parser.add_argument("--child-memory", nargs=2, metavar=("WHICH", "PNG"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_memory:
        child_memory(args.child_memory[0], Path(args.child_memory[1]))
        return 0

    started = time.perf_counter()
    originals = [png(scenery(seed)) for seed in range(1, args.images + 1)]
    print(
        f"{len(originals)} scenery PNGs of {SIDE_PX}x{SIDE_PX}: "
        + ", ".join(f"{len(d) / 1e6:.2f} MB" for d in originals)
        + f" (made in {time.perf_counter() - started:.1f} s)"
    )

    # (a) the share
    previews = [make_preview(d, "image/png") for d in originals]
    share_pct = 100 * sum(len(p.data) for p in previews) / sum(len(d) for d in originals)
    for data, preview in zip(originals, previews, strict=True):
        print(
            f"  preview {preview.width}x{preview.height} {len(preview.data) / 1e3:.0f} kB"
            f" = {100 * len(preview.data) / len(data):.1f}% of {len(data) / 1e6:.2f} MB"
        )
    for label, data in (
        ("local provider (flat drawing)", local_provider_png(1)),
        ("white noise (worst case)", white_noise_png(1)),
    ):
        preview = make_preview(data, "image/png")
        print(
            f"  for information, {label}: {len(data) / 1e6:.2f} MB -> "
            f"{len(preview.data) / 1e3:.0f} kB = {100 * len(preview.data) / len(data):.1f}%"
        )

    # (b) the whole path against bare Pillow
    path_ms, bare_ms = asyncio.run(timings(originals, args.runs))
    for index, (p_ms, b_ms) in enumerate(zip(path_ms, bare_ms, strict=True)):
        print(f"  image {index}: whole path {p_ms:.1f} ms, bare Pillow {b_ms:.1f} ms (medians)")
    ratio = sum(path_ms) / sum(bare_ms)
    print(
        f"preview_path_ms (median per image, mean over images): {statistics.mean(path_ms):.1f};"
        f" bare_pillow_ms: {statistics.mean(bare_ms):.1f}"
    )

    # (c) memory, each in a fresh process
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "original.png"
        source.write_bytes(originals[0])
        path_mem = memory_in_child("path", source)
        bare_mem = memory_in_child("bare", source)
    print(
        f"  peak RSS growth ({path_mem['method']}): preview path {path_mem['growth_mb']:.1f} MB,"
        f" bare Pillow {bare_mem['growth_mb']:.1f} MB; tracemalloc saw only"
        f" {path_mem['traced_mb']:.1f} MB and {bare_mem['traced_mb']:.1f} MB"
    )
    if path_mem["method"] != "clear_refs":
        print("  (ru_maxrss growth: the interpreter's start-up may hide part of the peak)")

    print(goal("preview_bytes_share", f"{share_pct:.1f}%", "<= 15%", share_pct <= SHARE_TARGET_PCT))
    print(
        goal(
            "preview_path_vs_bare_pillow_ratio",
            f"{ratio:.2f}",
            f"<= {RATIO_TARGET}",
            ratio <= RATIO_TARGET,
        )
    )
    growth_mb = path_mem["growth_mb"]
    print(
        goal(
            "preview_peak_memory_growth_mb",
            f"{growth_mb:.1f}",
            f"<= {MEMORY_TARGET_MB:.0f}",
            growth_mb <= MEMORY_TARGET_MB,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
