"""The series cache: a clip's raw walker series kept on disk, so analysing it again runs no pose model.

`analyze CLIP` with other rules, other outputs or after a crash reads the series back instead
of running MediaPipe again. An entry is keyed by a hash of everything that makes the series:
the clip's bytes, the pose model's bytes, every extraction option, the series format, the
gaitcheck version and the source of the modules that produce the series (an edited
extraction never reuses an old series). Where: `$GAITCHECK_CACHE_DIR`, else
`$XDG_CACHE_HOME/gaitcheck/series`, else `~/.cache/gaitcheck/series`.

The cache may fail in every way without failing the analysis: an unreadable or damaged entry
is a miss (and is replaced), a cache folder that cannot be written costs one warning line.
It keeps itself under `MAX_BYTES` by dropping the entries used longest ago (an entry is ~14 MB
for a 10 min clip at 30 fps, ~0.2 MB for 7 s); deleting the folder at any time is safe.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from gaitcheck.series import LandmarkSeries

if TYPE_CHECKING:  # extract imports mediapipe: not at import time (a cache hit never needs it)
    from gaitcheck.detect import Progress
    from gaitcheck.extract import Extraction

ENV_DIR = "GAITCHECK_CACHE_DIR"
CACHE_VERSION = 1
# The modules whose code decides the raw series: a change to any of them is a new key.
PRODUCERS = ("extract.py", "detect.py", "pose.py", "refine.py", "track.py", "video.py",
             "orientation.py", "series.py", "landmarks.py", "cache.py")
# Options that change how the series is computed, not what it is.
NOT_KEYED = ("workers", "progress")

MAX_BYTES = 2 << 30  # the cache's size limit; the least recently used entries go first

_warned = False


@dataclass(frozen=True)
class Walk:
    """What analysis needs from an extraction: the walker's raw series and the clip's facts."""

    series: LandmarkSeries
    fps: float
    frame_count: int  # as the container announces it
    duration_s: float
    frames_read: int
    persons_seen: int
    turn_reason: str  # why the frames were turned ("" when they were not)

    def facts(self) -> dict:
        return {"fps": self.fps, "frame_count": self.frame_count, "duration_s": self.duration_s,
                "frames_read": self.frames_read, "persons_seen": self.persons_seen,
                "turn_reason": self.turn_reason}


def walk_of(found: Extraction) -> Walk:
    """The Walk of an `extract.Extraction`."""
    return Walk(found.series, found.info.fps, found.info.frame_count, found.info.duration_s,
                found.frames_read, found.persons_seen, found.orientation.reason if found.orientation.turn else "")


def cache_dir() -> Path:
    """The folder holding the entries (not created here)."""
    chosen = os.environ.get(ENV_DIR)
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "gaitcheck" / "series"


def _file_hash(path: str | Path) -> str:
    from gaitcheck.batch_inputs import content_hash

    return content_hash(path)


def _code_hash() -> str:
    digest = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for name in PRODUCERS:
        try:
            digest.update(name.encode() + b"\0" + (here / name).read_bytes() + b"\0")
        except OSError:
            digest.update(name.encode() + b"\0missing\0")
    return digest.hexdigest()


def _version_of(distribution: str) -> str | None:
    from importlib import metadata

    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def entry_key(path: str | Path, options: dict) -> str:
    """The key of the series `extract(path, **options)` would give (hashes the clip's bytes)."""
    from gaitcheck import __version__
    from gaitcheck.model import find_model
    from gaitcheck.series import FORMAT_VERSION

    keyed = {name: value for name, value in options.items() if name not in NOT_KEYED}
    model = keyed.pop("model", None)
    described = {
        "cache": CACHE_VERSION, "gaitcheck": __version__, "series_format": FORMAT_VERSION,
        "code": _code_hash(), "mediapipe": _version_of("mediapipe"),
        "clip": _file_hash(path), "model": _file_hash(find_model(model)),
        "options": {name: keyed[name] for name in sorted(keyed)},
    }
    text = json.dumps(described, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def entry_path(key: str) -> Path:
    return cache_dir() / f"{key}.npz"


def read_entry(key: str, source: str | Path) -> Walk | None:
    """The cached Walk under `key`, with its series' source set to `source`; None on a miss
    (no entry, or one that cannot be read: damaged, truncated, another format)."""
    from gaitcheck.errors import GaitcheckError
    from gaitcheck.series import load_series_extra

    path = entry_path(key)
    try:
        if not path.is_file():
            return None
        series, extra = load_series_extra(path)
        if extra.get("key") != key:
            return None
        facts = extra["facts"]
        os.utime(path)  # recently used: pruned last
        return Walk(replace(series, source=str(source)), float(facts["fps"]), int(facts["frame_count"]),
                    float(facts["duration_s"]), int(facts["frames_read"]), int(facts["persons_seen"]),
                    str(facts["turn_reason"]))
    except (GaitcheckError, OSError, KeyError, TypeError, ValueError):
        return None


def write_entry(key: str, walk: Walk) -> bool:
    """Keep `walk` under `key`, atomically; on any failure warn once (on stderr) and go on."""
    from gaitcheck.errors import GaitcheckError
    from gaitcheck.series import save_series

    folder = cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        save_series(walk.series, entry_path(key), extra={"key": key, "facts": walk.facts()})
        prune(folder, MAX_BYTES)
        return True
    except (GaitcheckError, OSError) as error:
        _warn_once(folder, error)
        return False


def prune(folder: Path, limit: int) -> None:
    """Delete the least recently used entries until the folder's entries fit in `limit` bytes."""
    entries = []
    for path in folder.glob("*.npz"):
        try:
            stat = path.stat()
        except OSError:
            continue
        entries.append((stat.st_mtime, stat.st_size, path))
    total = sum(size for _, size, _ in entries)
    for _, size, path in sorted(entries):
        if total <= limit:
            break
        try:
            path.unlink()
            total -= size
        except OSError:
            continue


def _warn_once(folder: Path, error: Exception) -> None:
    global _warned
    if _warned:
        return
    _warned = True
    from gaitcheck.atomic import output_problem

    reason = output_problem(error) if isinstance(error, OSError) else getattr(error, "problem", str(error))
    print(f"gaitcheck: warning: series cache {folder} not written ({reason}); "
          f"set ${ENV_DIR} or use --no-cache", file=sys.stderr)


def cached_walk(path: str | Path, options: dict, *, progress: Progress | None = None,
                use_cache: bool = True) -> Walk:
    """The walker's raw series of `path`: from the cache when an entry matches, else by running
    `extract` (and keeping the result). `use_cache=False` neither reads nor writes the cache."""
    key = None
    if use_cache:
        try:
            key = entry_key(path, options)
        except OSError:  # the clip vanished or cannot be read twice: extraction will say why
            key = None
        if key:
            hit = read_entry(key, path)
            if hit is not None:
                return hit
    from gaitcheck.extract import extract

    walk = walk_of(extract(path, progress=progress, **options))
    if key:
        write_entry(key, walk)
    return walk
