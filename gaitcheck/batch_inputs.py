"""Which clips a batch covers, and the output names they get.

Files named on the command line are always taken (whatever their extension: a bad one is then
reported, not silently dropped); folders are searched recursively for video extensions; a path
that does not exist is tried as a glob. Output names are flat, sanitised and carry a short
hash of the clip's full path, so they never leave OUTDIR and two `walk.mp4` in different
folders never collide.
"""
from __future__ import annotations

import glob
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from gaitcheck.errors import InputError
from gaitcheck.video import VIDEO_EXTENSIONS

HASH_CHUNK = 1 << 20
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class Clip:
    """One input of the batch: where it is, how it was named, and its output name."""

    path: str  # as found (relative to the working folder when given so)
    label: str  # the part shown to people: path below the folder it was found in
    stem: str  # flat, safe output name inside OUTDIR


def is_video_name(path: str | Path) -> bool:
    return Path(path).suffix.lower() in VIDEO_EXTENSIONS


def _folder_videos(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and is_video_name(p)
                  and not any(part.startswith(".") for part in p.relative_to(folder).parts))


def expand_inputs(arguments: list[str]) -> list[tuple[Path, Path]]:
    """(file, the folder its label is relative to) for every clip the arguments name, in order,
    without duplicates. Raises InputError for an argument that matches nothing."""
    found: list[tuple[Path, Path]] = []
    for argument in arguments:
        path = Path(argument)
        if path.is_dir():
            found += [(p, path) for p in _folder_videos(path)]
        elif path.exists():
            found.append((path, path.parent))
        else:
            matches = sorted(glob.glob(argument, recursive=True))
            if not matches:
                raise InputError(argument, "no such file, folder or matching pattern")
            for match in map(Path, matches):
                if match.is_dir():
                    found += [(p, match) for p in _folder_videos(match)]
                elif is_video_name(match):
                    found.append((match, match.parent))
    seen: set[Path] = set()
    unique = []
    for path, root in found:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            unique.append((path, root))
    return unique


def output_stem(path: str | Path) -> str:
    """A file name (no extension) that stays inside OUTDIR and is unique per clip path.

    It depends on the clip's real path only, not on how the clip was named on the command line,
    so a rerun naming the file instead of its folder still finds the earlier result.
    """
    readable = _UNSAFE.sub("_", Path(path).stem).strip("._-")[:60] or "clip"
    digest = hashlib.sha1(str(Path(path).resolve()).encode("utf-8", "surrogateescape")).hexdigest()[:8]
    return f"{readable}-{digest}"


def find_clips(arguments: list[str]) -> list[Clip]:
    """The clips of a batch with their output names."""
    clips = []
    for path, root in expand_inputs(arguments):
        label = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.name
        clips.append(Clip(str(path), label, output_stem(path)))
    return clips


def content_hash(path: str | Path) -> str:
    """SHA-256 of the file's bytes: a rerun skips a clip only if these are unchanged."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
