"""The landmark series: one walker's 33 landmarks over time, in pixels, and its cleaning.

A plain value (numpy arrays + a few facts) saved as a compressed `.npz` with a format
version. Cleaning is pure functions: drop the frames where the pose collapsed, fill short
gaps only, then a zero-lag Butterworth low-pass (scipy.signal.filtfilt) run separately on
each stretch without gaps.
"""
from __future__ import annotations

import json
import warnings
import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
from scipy import interpolate, signal

from gaitcheck.atomic import atomic_path
from gaitcheck.errors import InputError
from gaitcheck.landmarks import NUM_LANDMARKS
from gaitcheck.sides import unswap_frontal

FORMAT = "gaitcheck/series"
FORMAT_VERSION = 1
DEFAULT_CUTOFF_HZ = 6.0
DEFAULT_MAX_GAP_S = 0.25
COLLAPSE_SHARE = 0.5  # a pose under this share of its neighbours' size (or over its inverse) is a glitch
COLLAPSE_WINDOW_S = 1.0  # the neighbours: the frames within half of this on either side


@dataclass(frozen=True)
class LandmarkSeries:
    """The subject's landmarks per analysed frame.

    times: (T,) seconds; frame_index: (T,) index of the frame in the clip.
    xy: (T, 33, 2) pixels in the upright frame (NaN where the subject was not found).
    visibility, presence: (T, 33); world: (T, 33, 3) metres (NaN where not found).
    detected: (T,) whether the pose model found the subject in that frame (before gap filling).
    width, height: the upright frame size; fps: the clip's nominal frame rate.
    source: the clip it came from; turn: clockwise degrees the frames were turned to be upright.
    processing: what was done to xy (gap filling, filter), for the record.
    """

    times: np.ndarray
    frame_index: np.ndarray
    xy: np.ndarray
    visibility: np.ndarray
    presence: np.ndarray
    world: np.ndarray
    detected: np.ndarray
    width: int
    height: int
    fps: float
    source: str = ""
    turn: int = 0
    processing: dict = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.times)

    @property
    def sample_rate(self) -> float:
        """Samples per second actually analysed (fps / stride), from the timestamps."""
        if len(self.times) < 2:
            return self.fps
        step = float(np.median(np.diff(self.times)))
        return 1.0 / step if step > 0 else self.fps

    @property
    def detected_fraction(self) -> float:
        return float(np.mean(self.detected)) if len(self.detected) else 0.0

    def point(self, landmark: int) -> np.ndarray:
        """(T, 2) pixel track of one landmark."""
        return self.xy[:, landmark, :]


def empty_series(n: int, width: int, height: int, fps: float, **facts) -> LandmarkSeries:
    """A series of `n` frames with nobody found yet (NaN positions, zero visibility)."""
    return LandmarkSeries(
        times=np.zeros(n),
        frame_index=np.zeros(n, dtype=np.int64),
        xy=np.full((n, NUM_LANDMARKS, 2), np.nan, dtype=np.float32),
        visibility=np.zeros((n, NUM_LANDMARKS), dtype=np.float32),
        presence=np.zeros((n, NUM_LANDMARKS), dtype=np.float32),
        world=np.full((n, NUM_LANDMARKS, 3), np.nan, dtype=np.float32),
        detected=np.zeros(n, dtype=bool),
        width=width, height=height, fps=fps, **facts,
    )


# --- cleaning -----------------------------------------------------------------------------


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """(start, stop) of each run of True in a 1-D boolean mask."""
    padded = np.concatenate([[False], mask, [False]])
    edges = np.flatnonzero(np.diff(padded.astype(np.int8)))
    return list(zip(edges[::2], edges[1::2]))


def drop_collapsed(series: LandmarkSeries, share: float = COLLAPSE_SHARE,
                   window_s: float = COLLAPSE_WINDOW_S) -> LandmarkSeries:
    """The series without the frames where the pose model's skeleton collapsed: a body under
    `share` of the median size of the frames around it (or over 1/`share` times it).

    Now and then the model loses a walker for a frame or two and draws every landmark in a
    heap (a synthetic side walker: torso and legs 10-30 px for 57 and 77 around it, shoulders
    below the hips). The low-pass filter smears such a frame into its neighbours, where it
    made a heel strike out of nothing and hid the real one 150 ms later (step-time asymmetry
    28% for an even walk). Dropped, the frame is a short gap that `fill_gaps` bridges. A
    walker's real size changes far more slowly (coming closer, turning), and the window's
    median follows it. Only a heap under half the size goes: on the real clips the model's
    half-lost frames (0.5-0.75 of the size, for 2-4 frames) are better left to the filter
    (with 0.6, bg_side_no_arm_swing_08's step-time asymmetry rose from 0.8 to 2.7%; with an
    extension to the frames around a collapse, md_back's from 1.9 to 22%)."""
    from gaitcheck.track import body_height  # the tracker's body size, shoulder to ankle

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # frames and windows with nobody: NaN
        size = np.array([body_height(pose) for pose in series.xy.astype(float)])
        if len(size) < 3 or not np.isfinite(size).any():
            return series
        half = max(1, int(round(window_s * series.sample_rate / 2)))
        padded = np.pad(size, half, constant_values=np.nan)
        usual = np.nanmedian(np.lib.stride_tricks.sliding_window_view(padded, 2 * half + 1), axis=1)
    with np.errstate(invalid="ignore"):
        collapsed = (size < share * usual) | (size * share > usual)
    processing = dict(series.processing, collapsed_frames=int(collapsed.sum()))
    if not collapsed.any():
        return replace(series, processing=processing)
    xy = series.xy.copy()
    xy[collapsed] = np.nan
    return replace(series, xy=xy, processing=processing)


def fill_gaps(series: LandmarkSeries, max_gap_s: float = DEFAULT_MAX_GAP_S) -> LandmarkSeries:
    """Interpolate (PCHIP, in time) over gaps no longer than `max_gap_s`; longer gaps stay NaN.

    Long gaps are left alone on purpose: a guess across a missing step would invent a step.
    """
    xy = series.xy.copy()
    times = series.times
    missing = np.isnan(xy[:, :, 0])
    for landmark in range(xy.shape[1]):
        gaps = missing[:, landmark]
        if not gaps.any() or gaps.all():
            continue
        known = np.flatnonzero(~gaps)
        for start, stop in _runs(gaps):
            if start == 0 or stop == len(times):
                continue  # before the first or after the last sighting: nothing to bridge
            if times[stop] - times[start - 1] > max_gap_s + 1e-9:
                continue
            near = known[(known >= start - 3) & (known < stop + 3)]
            curve = interpolate.PchipInterpolator(times[near], xy[near, landmark, :], axis=0)
            xy[start:stop, landmark, :] = curve(times[start:stop])
    processing = dict(series.processing, max_gap_s=max_gap_s)
    return replace(series, xy=xy, processing=processing)


def lowpass(series: LandmarkSeries, cutoff_hz: float = DEFAULT_CUTOFF_HZ, order: int = 2) -> LandmarkSeries:
    """Zero-lag Butterworth low-pass of the pixel tracks, each gap-free stretch on its own.

    filtfilt runs the filter forwards and backwards (no phase lag, effective order 2×`order`).
    A stretch too short to pad is left as it is; a cutoff at or above Nyquist skips filtering.
    """
    rate = series.sample_rate
    nyquist = rate / 2.0
    if cutoff_hz <= 0 or cutoff_hz >= nyquist * 0.95:
        return replace(series, processing=dict(series.processing, lowpass_hz=None))
    sos = signal.butter(order, cutoff_hz / nyquist, output="sos")
    pad = 3 * (2 * len(sos) + 1)
    xy = series.xy.copy()
    found = ~np.isnan(xy[:, :, 0])
    for landmark in range(xy.shape[1]):
        for start, stop in _runs(found[:, landmark]):
            if stop - start > pad:
                xy[start:stop, landmark, :] = signal.sosfiltfilt(sos, xy[start:stop, landmark, :], axis=0)
    return replace(series, xy=xy, processing=dict(series.processing, lowpass_hz=cutoff_hz, filter_order=order))


def clean(series: LandmarkSeries, cutoff_hz: float = DEFAULT_CUTOFF_HZ, max_gap_s: float = DEFAULT_MAX_GAP_S) -> LandmarkSeries:
    """Left/right labels made consistent where the body faces the camera (see sides.py),
    collapsed poses dropped, short gaps filled, then low-pass: the series the metrics want."""
    return lowpass(fill_gaps(drop_collapsed(unswap_frontal(series)), max_gap_s), cutoff_hz)


# --- save / load ---------------------------------------------------------------------------

_ARRAYS = ("times", "frame_index", "xy", "visibility", "presence", "world", "detected")


def save_series(series: LandmarkSeries, path: str | Path, *, extra: dict | None = None) -> Path:
    """Write the series as compressed .npz, atomically (no half-written file on failure).

    `extra`: JSON-able facts kept beside the series (the series cache stores the clip's facts
    there); `load_series_extra` gives them back, `load_series` ignores them."""
    path = Path(path)
    facts = {
        "format": FORMAT, "version": FORMAT_VERSION, "width": series.width, "height": series.height,
        "fps": series.fps, "source": series.source, "turn": series.turn, "processing": series.processing,
    }
    if extra is not None:
        facts["extra"] = extra
    with atomic_path(path) as temp:
        with open(temp, "wb") as handle:
            np.savez_compressed(
                handle, meta=np.array(json.dumps(facts)), **{name: getattr(series, name) for name in _ARRAYS}
            )
    return path


def load_series(path: str | Path) -> LandmarkSeries:
    """Read a series saved by `save_series`; a wrong or damaged file gets a one-line error."""
    return load_series_extra(path)[0]


def load_series_extra(path: str | Path) -> tuple[LandmarkSeries, dict]:
    """Read a series saved by `save_series` and the `extra` facts saved with it ({} if none)."""
    path = Path(path)
    try:
        with np.load(path, allow_pickle=False) as data:
            facts = json.loads(str(data["meta"]))
            arrays = {name: data[name] for name in _ARRAYS}
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as error:  # JSONDecodeError is a ValueError
        raise InputError(path, f"is not a gaitcheck landmark series ({type(error).__name__})") from None
    if not isinstance(facts, dict) or facts.get("format") != FORMAT:
        raise InputError(path, "is not a gaitcheck landmark series")
    if facts.get("version") != FORMAT_VERSION:
        raise InputError(path, f"is series format v{facts.get('version')}; this gaitcheck reads v{FORMAT_VERSION}")
    extra = facts.get("extra", {})
    try:
        series = LandmarkSeries(
            **arrays, width=int(facts["width"]), height=int(facts["height"]), fps=float(facts["fps"]),
            source=facts.get("source", ""), turn=int(facts.get("turn", 0)), processing=facts.get("processing", {}),
        )
        return series, extra if isinstance(extra, dict) else {}
    except (KeyError, TypeError, ValueError) as error:
        raise InputError(path, f"is a damaged gaitcheck landmark series (bad or missing {error})") from None
