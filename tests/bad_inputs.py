"""Makers of bad and awkward inputs (issue 8), and the checks every outcome must pass.

Everything is generated from one short synthetic walk (`gaitcheck synth`) with ffmpeg
(imageio-ffmpeg's binary) and OpenCV; nothing binary is committed. `Corpus` builds each input
on first use and keeps it for the session, so a clip used by several tests is made once.
"""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import numpy as np

from conftest import run_cli, write_clip

SIZE = (320, 180)  # small: the pose model is the cost, keep it low
FPS = 24
SECONDS = 2.5

# an analyze run that went wrong inside (a bug) rather than telling the user about the input
INTERNAL = "internal error"


def ffmpeg_exe() -> str | None:
    try:
        import imageio_ffmpeg

        return imageio_ffmpeg.get_ffmpeg_exe()
    except Exception:  # not installed, or no binary for this platform
        return None


def run_ffmpeg(*args) -> None:
    exe = ffmpeg_exe()
    if exe is None:
        raise RuntimeError("no ffmpeg binary (pip install imageio-ffmpeg)")
    done = subprocess.run([exe, "-y", "-hide_banner", "-v", "error", *map(str, args)],
                          capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"ffmpeg {' '.join(map(str, args))} failed: {done.stderr}")


def synth(out: Path, *args: str, seconds: float = SECONDS, size: tuple[int, int] = SIZE, fps: int = FPS) -> Path:
    """Render a synthetic walker (side view, walking left to right unless told otherwise)."""
    code, _, err = run_cli("synth", out, "--duration", seconds, "--size", f"{size[0]}x{size[1]}",
                           "--fps", fps, "-q", *args, timeout=300)
    if code != 0:
        raise RuntimeError(f"gaitcheck synth failed: {err}")
    return out


def read_images(path: Path) -> tuple[list[np.ndarray], float]:
    import cv2

    capture = cv2.VideoCapture(str(path))
    fps = capture.get(cv2.CAP_PROP_FPS)
    images = []
    while True:
        ok, image = capture.read()
        if not ok:
            break
        images.append(image)
    capture.release()
    return images, fps


def transform(source: Path, out: Path, change) -> Path:
    """Write `change(image, index, count)` of every frame of `source` as a new clip."""
    images, fps = read_images(source)
    return write_clip(out, (change(image, k, len(images)) for k, image in enumerate(images)), fps)


def faststart_h264(source: Path, out: Path) -> Path:
    """Re-encode as H.264 with the index first and a keyframe every 6 frames, as phones do:
    cutting the file then leaves a readable container whose frame data simply stops."""
    run_ffmpeg("-i", source, "-c:v", "libx264", "-pix_fmt", "yuv420p", "-g", "6", "-movflags", "+faststart", out)
    return out


def truncate(source: Path, out: Path, fraction: float) -> Path:
    data = source.read_bytes()
    out.write_bytes(data[: int(len(data) * fraction)])
    return out


def frame_data_span(data: bytes) -> tuple[int, int]:
    """(start, stop) of the MP4 'mdat' payload (the coded frames), or the whole file if none."""
    at = data.find(b"mdat")
    if at < 4:
        return 0, len(data)
    size = int.from_bytes(data[at - 4:at], "big")
    stop = at - 4 + size if size >= 8 else len(data)
    return at + 4, min(stop, len(data))


def flip_bytes(data: bytes, positions, masks) -> bytes:
    out = bytearray(data)
    for position, mask in zip(positions, masks):
        out[position % len(out)] ^= mask or 0xFF
    return bytes(out)


def leftovers(folder: Path) -> list[str]:
    """Temporary or partial files an interrupted or failed write could leave behind."""
    return sorted(p.name for p in Path(folder).rglob("*")
                  if p.name.startswith(".") or p.suffix in (".tmp", ".part") or ".tmp" in p.name)


def one_clean_line(err: str, named: str | Path | None = None) -> str:
    """stderr holds exactly one `gaitcheck: …` line, naming `named`, no traceback, no bug."""
    assert "Traceback" not in err, err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, f"expected one line on stderr, got {len(lines)}:\n{err}"
    assert lines[0].startswith("gaitcheck: "), lines[0]
    assert INTERNAL not in lines[0], f"an internal error is a bug, not a message: {lines[0]}"
    if named is not None:
        assert str(named) in lines[0], f"the message must name {named}: {lines[0]}"
    return lines[0]


def no_bug_output(err: str) -> None:
    assert "Traceback" not in err, err
    assert INTERNAL not in err, err


def check_report(document: dict) -> None:
    """A report that says what limited it: every absent metric and unjudged rule has a reason."""
    assert document["schema"] == "gaitcheck/report-v1"
    for name, metric in document["metrics"].items():
        if metric["value"] is None:
            assert metric.get("reason"), f"metric {name} is absent without a reason"
        else:
            assert np.isfinite(metric["value"]), f"metric {name} = {metric['value']}"
    for rule in document["rules"]:
        if rule["status"] == "not_measurable":
            assert rule.get("reason"), f"rule {rule['id']} not measurable without a reason"
    assert document["verdict"] in ("good", "needs_attention", "poor", "not_analysable")
    assert 0.0 <= document["detection"]["frames_with_subject"] <= 1.0


def absent(document: dict) -> dict[str, str]:
    return {name: m.get("reason", "") for name, m in document["metrics"].items() if m["value"] is None}


def inside(folder: Path, path: Path) -> bool:
    folder, path = os.path.realpath(folder), os.path.realpath(path)
    return os.path.commonpath([folder, path]) == folder
