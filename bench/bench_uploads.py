"""How much an upload check costs next to decoding the photo it guards, and how fast bombs die.

Prints figures and ratios and appends a dated section to bench/RESULTS.md.
"""

from __future__ import annotations

import io
import struct
import sys
import time
import zlib
from datetime import date
from pathlib import Path

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from collis.lib.uploads import TooManyPixelsError, check_image  # noqa: E402

REPEAT = 20


def best_of(fn, repeat: int = REPEAT) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def phone_photo() -> bytes:
    rng = np.random.default_rng(7)
    pixels = rng.integers(0, 255, size=(3024, 4032, 3), dtype=np.uint8)  # 12 MP
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def bomb(side: int = 60_000) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    ihdr = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IEND", b"")


def main() -> None:
    photo = phone_photo()
    check = best_of(lambda: check_image(io.BytesIO(photo)))
    decode = best_of(lambda: Image.open(io.BytesIO(photo)).load(), repeat=5)
    bomb_bytes = bomb()

    def refuse_bomb() -> None:
        try:
            check_image(io.BytesIO(bomb_bytes))
        except TooManyPixelsError:
            return
        raise AssertionError("bomb accepted")

    bomb_time = best_of(refuse_bomb)
    lines = [
        f"12 MP JPEG ({len(photo) / 1e6:.1f} MB): check_image {check * 1e3:.2f} ms, "
        f"full decode {decode * 1e3:.1f} ms, ratio {decode / check:.0f}x",
        f"3.6-gigapixel PNG bomb ({len(bomb_bytes)} bytes) refused in {bomb_time * 1e3:.3f} ms",
        "note: the check reads headers only (Pillow's verify() does not decode JPEG data), so "
        "damage inside the picture data surfaces when the photo is decoded for analysis",
    ]
    for line in lines:
        print(line)
    results = Path(__file__).with_name("RESULTS.md")
    with results.open("a") as out:
        out.write(f"\n## {date.today()}: upload checks (bench_uploads.py, best of {REPEAT})\n\n")
        out.writelines(f"- {line}\n" for line in lines)


if __name__ == "__main__":
    main()
