"""series.py: short-gap filling, zero-lag low-pass, save/load and its errors."""
from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest
from scipy import signal

from gaitcheck.errors import InputError, OutputError
from gaitcheck.landmarks import NUM_LANDMARKS, Landmark
from gaitcheck.series import (FORMAT_VERSION, LandmarkSeries, clean, empty_series, fill_gaps, load_series,
                              lowpass, save_series)

FPS = 30.0


def make_series(xy: np.ndarray, fps: float = FPS, **facts) -> LandmarkSeries:
    """A series whose every landmark follows `xy` (T, 2) (or (T, 33, 2)), detected where finite."""
    n = len(xy)
    series = empty_series(n, 640, 480, fps, **facts)
    series.times[:] = np.arange(n) / fps
    series.frame_index[:] = np.arange(n)
    series.xy[:] = xy if xy.ndim == 3 else xy[:, None, :]
    series.detected[:] = np.isfinite(series.xy[:, 0, 0])
    return series


def linear(n: int) -> np.ndarray:
    t = np.arange(n) / FPS
    return np.stack([100 + 50 * t, 300 - 20 * t], axis=1)


# --- drop_collapsed -------------------------------------------------------------------------


def standing_body(n: int, height_px: float = 200.0) -> np.ndarray:
    """(n, 33, 2) a walker's main joints drifting across the frame and slowly growing
    (coming closer), everything else at the nose."""
    t = np.arange(n) / FPS
    scale = (height_px * (1.0 + 0.3 * t / t[-1]))[:, None]
    x = 100.0 + 60.0 * t[:, None]
    xy = np.zeros((n, NUM_LANDMARKS, 2))
    joints = {Landmark.LEFT_SHOULDER: (-0.1, 0.0), Landmark.RIGHT_SHOULDER: (0.1, 0.0),
              Landmark.LEFT_HIP: (-0.08, 0.35), Landmark.RIGHT_HIP: (0.08, 0.35),
              Landmark.LEFT_ANKLE: (-0.08, 0.8), Landmark.RIGHT_ANKLE: (0.08, 0.8)}
    xy[:] = np.stack([x[:, 0], 50.0 + 0 * t], axis=1)[:, None, :]
    for joint, (dx, dy) in joints.items():
        xy[:, joint] = np.stack([x[:, 0] + dx * scale[:, 0], 50.0 + dy * scale[:, 0]], axis=1)
    return xy


def test_a_collapsed_pose_is_dropped_and_bridged():
    """Two frames where the model heaps the skeleton to a third of its size are dropped (and
    counted), then bridged by the gap filling; a walker growing 30% as it comes closer and
    frames with nobody found are left alone."""
    from gaitcheck.series import drop_collapsed

    body = standing_body(90)
    heaped = body.copy()
    hips = 0.5 * (body[40:42, Landmark.LEFT_HIP] + body[40:42, Landmark.RIGHT_HIP])
    heaped[40:42] = hips[:, None, :] + 0.3 * (body[40:42] - hips[:, None, :])
    heaped[70:73] = np.nan  # nobody found
    dropped = drop_collapsed(make_series(heaped))
    lost = np.isnan(dropped.xy[:, 0, 0])
    assert np.array_equal(np.flatnonzero(lost), [40, 41, 70, 71, 72])
    assert dropped.processing["collapsed_frames"] == 2
    assert drop_collapsed(make_series(body)).processing["collapsed_frames"] == 0
    cleaned = clean(make_series(heaped)).xy  # (clean may relabel left and right: compare midpoints)
    ankles = [Landmark.LEFT_ANKLE, Landmark.RIGHT_ANKLE]
    np.testing.assert_allclose(cleaned[40:42][:, ankles].mean(axis=1), body[40:42][:, ankles].mean(axis=1), atol=1.0)


# --- fill_gaps ------------------------------------------------------------------------------


def test_short_gap_is_filled_exactly_for_a_linear_track():
    truth = linear(60)
    holed = truth.copy()
    holed[20:23] = np.nan  # 0.1 s missing
    series = make_series(holed)
    filled = fill_gaps(series, max_gap_s=0.25)
    np.testing.assert_allclose(filled.xy[:, Landmark.LEFT_HIP], truth, atol=1e-3)
    np.testing.assert_allclose(filled.xy[:, Landmark.NOSE], truth, atol=1e-3)
    assert np.isnan(series.xy[20:23]).all(), "the input series must not be changed"
    assert not filled.detected[20:23].any(), "filled frames are not detections"
    assert filled.processing["max_gap_s"] == 0.25


def test_short_gap_in_a_curve_is_bridged_smoothly():
    t = np.arange(90) / FPS
    truth = np.stack([200 + 40 * np.sin(2 * np.pi * t), 250 + 10 * np.cos(2 * np.pi * t)], axis=1)
    holed = truth.copy()
    holed[40:44] = np.nan
    filled = fill_gaps(make_series(holed), max_gap_s=0.25)
    np.testing.assert_allclose(filled.xy[40:44, 0], truth[40:44], atol=1.0)  # within a pixel


def test_long_gap_stays_empty():
    holed = linear(60)
    holed[20:35] = np.nan  # 0.5 s missing
    filled = fill_gaps(make_series(holed), max_gap_s=0.25)
    assert np.isnan(filled.xy[20:35]).all()
    assert np.isfinite(filled.xy[:20]).all() and np.isfinite(filled.xy[35:]).all()


def test_gap_length_limit_is_honoured_on_both_sides():
    # sightings either side of a gap of k missing frames are (k + 1) / fps apart
    for missing, expect_filled in ((5, True), (8, False)):  # 0.2 s vs 0.3 s between sightings
        holed = linear(60)
        holed[30:30 + missing] = np.nan
        filled = fill_gaps(make_series(holed), max_gap_s=0.25)
        assert bool(np.isfinite(filled.xy[30:30 + missing]).all()) is expect_filled, missing


def test_leading_and_trailing_gaps_stay_empty():
    holed = linear(60)
    holed[:4] = np.nan
    holed[-3:] = np.nan
    filled = fill_gaps(make_series(holed), max_gap_s=1.0)
    assert np.isnan(filled.xy[:4]).all() and np.isnan(filled.xy[-3:]).all()
    np.testing.assert_array_equal(filled.xy[4:-3], make_series(holed).xy[4:-3])


def test_landmarks_are_filled_independently():
    holed = np.repeat(linear(60)[:, None, :], NUM_LANDMARKS, axis=1)
    holed[10:13, Landmark.LEFT_WRIST] = np.nan  # short gap in one landmark
    holed[10:40, Landmark.RIGHT_WRIST] = np.nan  # long gap in another
    filled = fill_gaps(make_series(holed), max_gap_s=0.25)
    assert np.isfinite(filled.xy[:, Landmark.LEFT_WRIST]).all()
    assert np.isnan(filled.xy[10:40, Landmark.RIGHT_WRIST]).all()


def test_nobody_ever_found_stays_empty():
    empty = empty_series(30, 640, 480, FPS)
    empty.times[:] = np.arange(30) / FPS
    assert np.isnan(clean(empty).xy).all()


# --- lowpass --------------------------------------------------------------------------------


def two_sines(n: int = 300, fps: float = FPS) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    t = np.arange(n) / fps
    slow = 40 * np.sin(2 * np.pi * 1.0 * t)
    fast = 15 * np.sin(2 * np.pi * 12.0 * t)
    return t, slow, fast


def component(x: np.ndarray, t: np.ndarray, hz: float) -> complex:
    """Least-squares `hz` component of x as a complex amplitude (abs = amplitude, angle = phase)."""
    basis = np.stack([np.sin(2 * np.pi * hz * t), np.cos(2 * np.pi * hz * t), np.ones_like(t)], axis=1)
    coef, *_ = np.linalg.lstsq(basis, x, rcond=None)
    return complex(coef[0], coef[1])


def amplitude_at(x: np.ndarray, t: np.ndarray, hz: float) -> float:
    return abs(component(x, t, hz))


def test_lowpass_removes_12hz_and_keeps_1hz_without_lag():
    t, slow, fast = two_sines()
    xy = np.stack([320 + slow + fast, 240 - slow + fast], axis=1)
    out = lowpass(make_series(xy), cutoff_hz=6.0)
    assert out.processing["lowpass_hz"] == 6.0
    inner = slice(30, -30)  # away from the ends
    for axis, sign in ((0, 1), (1, -1)):
        filtered = out.xy[:, Landmark.RIGHT_ANKLE, axis]
        centred = filtered[inner] - filtered[inner].mean()
        assert amplitude_at(centred, t[inner], 12.0) < 0.1 * 15
        assert amplitude_at(centred, t[inner], 1.0) == pytest.approx(40, rel=0.03)
        # no phase lag: the 1 Hz peaks sit on the same samples as in the clean signal
        peaks_in, _ = signal.find_peaks(sign * slow[inner], distance=20)
        peaks_out, _ = signal.find_peaks(centred, distance=20)
        assert len(peaks_in) == len(peaks_out) >= 6
        assert np.abs(peaks_out - peaks_in).max() <= 1
        # and finer than a sample: the phase of the 1 Hz component is unchanged (a causal
        # filter of this order would delay it by ~0.24 rad, about one sample)
        lag = np.angle(component(centred, t[inner], 1.0) / component(sign * slow[inner], t[inner], 1.0))
        assert abs(lag) < 0.01


def test_lowpass_skips_when_cutoff_is_at_or_above_nyquist():
    t, slow, fast = two_sines(100, fps=10.0)
    xy = np.stack([320 + slow, 240 + slow], axis=1)
    series = make_series(xy, fps=10.0)
    for cutoff in (5.0, 6.0, 0.0):
        out = lowpass(series, cutoff_hz=cutoff)
        np.testing.assert_array_equal(out.xy, series.xy)
        assert out.processing["lowpass_hz"] is None


def test_lowpass_filters_each_stretch_and_keeps_gaps():
    t, slow, fast = two_sines()
    xy = np.stack([320 + slow + fast, 240 + slow], axis=1)
    xy[140:170] = np.nan
    out = lowpass(make_series(xy), cutoff_hz=6.0)
    assert np.isnan(out.xy[140:170]).all()
    assert np.isfinite(out.xy[:140]).all() and np.isfinite(out.xy[170:]).all()
    second = out.xy[200:270, 0, 0]
    assert amplitude_at(second - second.mean(), t[200:270], 12.0) < 0.1 * 15


def test_lowpass_uses_the_rate_of_the_timestamps():
    # every 2nd frame of a 60 fps clip: 30 samples/s, so 12 Hz is still below Nyquist and removed
    t, slow, fast = two_sines()
    series = make_series(np.stack([320 + slow + fast, 240 + slow], axis=1), fps=60.0)
    series.times[:] = t
    assert series.sample_rate == pytest.approx(30.0)
    out = lowpass(series, cutoff_hz=6.0)
    filtered = out.xy[30:-30, 0, 0]
    assert amplitude_at(filtered - filtered.mean(), t[30:-30], 12.0) < 0.1 * 15


# --- save / load ----------------------------------------------------------------------------


def random_series(n: int = 25) -> LandmarkSeries:
    rng = np.random.default_rng(7)
    series = empty_series(n, 1768, 994, 29.97, source="/clips/walk.mp4", turn=90,
                          processing={"max_gap_s": 0.25, "lowpass_hz": 6.0})
    series.times[:] = np.cumsum(rng.uniform(0.02, 0.05, n))
    series.frame_index[:] = np.arange(n) * 2
    series.xy[:] = rng.uniform(0, 1000, series.xy.shape)
    series.xy[3:5] = np.nan
    series.visibility[:] = rng.uniform(0, 1, series.visibility.shape)
    series.presence[:] = rng.uniform(0, 1, series.presence.shape)
    series.world[:] = rng.normal(0, 0.5, series.world.shape)
    series.detected[:] = rng.uniform(size=n) > 0.3
    return series


def test_save_load_round_trip(tmp_path):
    series = random_series()
    path = save_series(series, tmp_path / "s.npz")
    back = load_series(path)
    for name in ("times", "frame_index", "xy", "visibility", "presence", "world", "detected"):
        np.testing.assert_array_equal(getattr(back, name), getattr(series, name), err_msg=name)
        assert getattr(back, name).dtype == getattr(series, name).dtype, name
    for fact in ("width", "height", "fps", "source", "turn", "processing"):
        assert getattr(back, fact) == getattr(series, fact), fact
    assert back.detected_fraction == series.detected_fraction
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.npz"], "no temporary file left behind"


def test_save_overwrites_atomically_and_reports_output_problems(tmp_path):
    path = tmp_path / "s.npz"
    save_series(random_series(10), path)
    save_series(random_series(25), path)
    assert len(load_series(path)) == 25
    with pytest.raises(OutputError) as caught:
        save_series(random_series(), tmp_path)
    assert str(tmp_path) in caught.value.message
    with pytest.raises(OutputError):
        save_series(random_series(), tmp_path / "no" / "such" / "s.npz")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.npz"]


def _write_npz(path, meta: dict | None, **arrays):
    series = random_series(5)
    data = {name: getattr(series, name) for name in ("times", "frame_index", "xy", "visibility",
                                                        "presence", "world", "detected")}
    data.update(arrays)
    if meta is not None:
        data["meta"] = np.array(json.dumps(meta))
    np.savez_compressed(path, **data)


GOOD_META = {"format": "gaitcheck/series", "version": FORMAT_VERSION, "width": 10, "height": 10, "fps": 30.0}


@pytest.mark.parametrize("case", ["text", "no_meta", "wrong_version", "wrong_format", "missing_array", "missing",
                                  "meta_without_facts", "meta_not_a_mapping", "folder"])
def test_load_of_a_wrong_file_names_it(tmp_path, case):
    path = tmp_path / f"{case}.npz"
    if case == "text":
        path.write_text("not a series\n")
    elif case == "no_meta":
        _write_npz(path, None)
    elif case == "wrong_version":
        _write_npz(path, dict(GOOD_META, version=FORMAT_VERSION + 1))
    elif case == "wrong_format":
        _write_npz(path, dict(GOOD_META, format="something/else"))
    elif case == "missing_array":
        np.savez_compressed(path, meta=np.array(json.dumps(GOOD_META)), times=np.zeros(3))
    elif case == "meta_without_facts":
        _write_npz(path, {"format": "gaitcheck/series", "version": FORMAT_VERSION})
    elif case == "meta_not_a_mapping":
        _write_npz(path, ["gaitcheck/series", FORMAT_VERSION])  # type: ignore[arg-type]
    elif case == "folder":
        path.mkdir()
    with pytest.raises(InputError) as caught:
        load_series(path)
    assert str(path) in caught.value.message
    assert "\n" not in caught.value.message
    if case == "wrong_version":
        assert f"v{FORMAT_VERSION + 1}" in caught.value.message


def test_good_meta_is_really_accepted(tmp_path):
    # guards the wrong-file tests above: the same writer with the right facts loads fine
    path = tmp_path / "ok.npz"
    _write_npz(path, GOOD_META)
    assert len(load_series(path)) == 5


def test_clean_fills_then_filters():
    t, slow, fast = two_sines()
    xy = np.stack([320 + slow + fast, 240 + slow], axis=1)
    xy[100:103] = np.nan
    out = clean(make_series(xy))
    assert np.isfinite(out.xy).all()
    assert out.processing["max_gap_s"] > 0 and out.processing["lowpass_hz"] == 6.0
    filtered = out.xy[30:-30, 0, 0]
    assert amplitude_at(filtered - filtered.mean(), t[30:-30], 12.0) < 0.1 * 15
    assert replace(out, processing={}).processing == {}
