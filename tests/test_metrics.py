"""Metrics computed on the drawn skeleton of synthetic clips, with the true heel strikes, must
reproduce the renderer's truth: this checks the metric code itself, apart from pose error.

The truth is computed independently (gaitcheck/synth/truth.py measures the drawn geometry);
the pose-model error on top of it is measured by bench/accuracy.py.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pytest

from gaitcheck.metrics import compute_metrics
from gaitcheck.series import empty_series

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
ANGLES = ("trunk_lean_deg", "head_forward_deg", "head_pitch_deg", "lateral_trunk_lean_deg", "head_tilt_deg",
          "shoulder_tilt_deg", "elbow_flare_deg", "pelvic_drop_deg", "arm_swing_left_deg", "arm_swing_right_deg")


@dataclass(frozen=True)
class FixedPass:
    start: int
    stop: int
    direction: str


@dataclass(frozen=True)
class FixedView:
    camera: str
    direction: str
    passes: tuple
    confidence: float = 1.0
    roll_deg: float = 0.0
    roll_source: str = "truth"
    cues: dict = field(default_factory=dict)


@dataclass(frozen=True)
class FixedEvents:
    heel_strikes: dict
    toe_offs: dict = field(default_factory=lambda: {"left": np.array([], int), "right": np.array([], int)})
    method: str = "truth"
    dropped: int = 0
    exact_times: dict = field(default_factory=dict)  # frame -> the true (sub-frame) strike time

    def strike_time(self, frame):
        return self.exact_times[int(frame)]

    def pass_of(self, frame):
        return 0  # one pass: the whole drawn walk

    def strides(self, side):
        strikes = self.heel_strikes[side]
        return list(zip(strikes[:-1], strikes[1:]))

    def steps(self):
        events = sorted((int(f), s) for s in ("left", "right") for f in self.heel_strikes[s])
        return [(a, b, sb) for (a, sa), (b, sb) in zip(events[:-1], events[1:]) if sa != sb]


def drawn_walk(truth: dict):
    """The drawn landmarks as a series, the true view as one pass, the true strikes as frames."""
    landmarks = np.array(truth["frames"]["landmarks_px"], dtype=float)
    series = empty_series(len(landmarks), truth["input"]["width"], truth["input"]["height"], truth["input"]["fps"])
    series.xy[:] = landmarks
    series.times[:] = truth["frames"]["t"]
    series.detected[:] = True
    series.visibility[:] = 1.0  # every drawn landmark is known
    series = replace(series, processing={"lowpass_hz": None, "max_gap_s": 0.0})
    camera, direction = truth["view"]["camera"], truth["view"]["direction"]
    if camera != "side":
        direction = "towards" if camera == "front" else "away"
    strikes = {side: np.array([int(np.argmin(np.abs(series.times - e["t"]))) for e in truth["heel_strikes"][side]])
               for side in ("left", "right")}
    exact = {int(np.argmin(np.abs(series.times - e["t"]))): e["t"]
             for side in ("left", "right") for e in truth["heel_strikes"][side]}
    events = FixedEvents(strikes, exact_times=exact)
    return series, FixedView(camera, direction, (FixedPass(0, len(series), direction),)), events


def sample_truths() -> list[Path]:
    return sorted(SAMPLES.glob("*.truth.json"))


@pytest.mark.parametrize("truth_path", sample_truths(), ids=lambda p: p.name.split(".")[0])
def test_metrics_on_drawn_skeleton_match_truth(truth_path: Path):
    truth = json.loads(truth_path.read_text())
    metrics = compute_metrics(*drawn_walk(truth))
    for name, expected in truth["metrics"].items():
        ours = metrics[name]
        assert ours.present == (expected["value"] is not None), f"{name}: presence differs ({ours.reason})"
        if not ours.present:
            continue
        if name in ANGLES:
            assert ours.value == pytest.approx(expected["value"], abs=0.5), name
        elif name == "cadence_spm":
            assert ours.value == pytest.approx(expected["value"], rel=0.01), name
        elif name in ("step_time_asymmetry_pct", "stride_time_cv_pct"):
            assert ours.value == pytest.approx(expected["value"], abs=0.5), name
        elif name == "arm_leg_coordination":
            assert ours.value == pytest.approx(expected["value"], abs=0.05), name
        elif name == "heel_strike_pct":
            assert ours.value == pytest.approx(expected["value"], abs=15), name
        elif name == "arm_midline_crossing":
            assert ours.value == pytest.approx(expected["value"], abs=0.03), name


def test_side_angles_do_not_depend_on_walking_direction():
    """A walker going right-to-left must give the same numbers as the mirrored clip."""
    truth = json.loads((SAMPLES / "walk_side_slouch.truth.json").read_text())
    series, view, events = drawn_walk(truth)
    mirrored = replace(series, xy=np.stack([series.width - series.xy[..., 0], series.xy[..., 1]], axis=-1))
    other = {"left_to_right": "right_to_left", "right_to_left": "left_to_right"}[view.direction]
    mirrored_view = FixedView("side", other, (FixedPass(0, len(series), other),))
    original, flipped = compute_metrics(series, view, events), compute_metrics(mirrored, mirrored_view, events)
    for name in ("trunk_lean_deg", "head_forward_deg", "head_pitch_deg", "arm_swing_left_deg"):
        assert flipped[name].value == pytest.approx(original[name].value, abs=1e-6), name
    assert original["trunk_lean_deg"].value > 10  # the slouch leans forward: + whichever way


def test_metrics_outside_the_view_are_absent_with_a_reason():
    truth = json.loads((SAMPLES / "walk_side_good.truth.json").read_text())
    metrics = compute_metrics(*drawn_walk(truth))
    for name in ("lateral_trunk_lean_deg", "pelvic_drop_deg", "elbow_flare_deg", "arm_midline_crossing"):
        assert not metrics[name].present
        assert "front" in metrics[name].reason


def _turn_pair(xy: np.ndarray, a: int, b: int, degrees: float) -> None:
    """Turn the a→b pair about its midpoint in every frame (in place)."""
    turn = np.radians(degrees)
    rot = np.array([[np.cos(turn), -np.sin(turn)], [np.sin(turn), np.cos(turn)]])
    mid = 0.5 * (xy[:, a] + xy[:, b])
    half = 0.5 * (xy[:, b] - xy[:, a])
    xy[:, a], xy[:, b] = mid - half @ rot.T, mid + half @ rot.T


def test_head_tilt_reads_the_face_only_where_the_camera_sees_it():
    """Head tilt is the mean roll of the ear, eye and mouth lines from the front, the ear line
    alone from behind (where the model guesses the hidden face): eye and mouth lines turned 12°
    move a front view's head tilt by two thirds of that and a back view's not at all."""
    from gaitcheck.landmarks import Landmark as L

    truth = json.loads((SAMPLES / "walk_back_hip_drop.truth.json").read_text())
    series, back_view, events = drawn_walk(truth)
    front_view = replace(back_view, camera="front", direction="towards",
                         passes=(FixedPass(0, len(series), "towards"),))
    xy = series.xy.copy()
    _turn_pair(xy, L.LEFT_EYE, L.RIGHT_EYE, 12.0)
    _turn_pair(xy, L.MOUTH_LEFT, L.MOUTH_RIGHT, 12.0)
    turned = replace(series, xy=xy)
    for view, share in ((back_view, 0.0), (front_view, 2.0 / 3.0)):
        before = compute_metrics(series, view, events)["head_tilt_deg"].value
        after = compute_metrics(turned, view, events)["head_tilt_deg"].value
        assert abs(after - before) == pytest.approx(12.0 * share, abs=0.5), (view.camera, before, after)


def test_frontal_tilts_survive_the_pose_model_swapping_left_and_right():
    """From behind, MediaPipe swaps left and right in some frames; a tilt must not read that
    as a 180° turn (pelvic drop read 48-91° on such clips before)."""
    from gaitcheck.landmarks import MIRROR

    truth = json.loads((SAMPLES / "walk_back_hip_drop.truth.json").read_text())
    series, view, events = drawn_walk(truth)
    swapped = series.xy.copy()
    every_third = np.arange(0, len(series), 3)
    swapped[every_third] = swapped[every_third][:, list(MIRROR)]
    original = compute_metrics(series, view, events)
    relabelled = compute_metrics(replace(series, xy=swapped), view, events)
    for name in ("pelvic_drop_deg", "shoulder_tilt_deg", "head_tilt_deg"):
        assert relabelled[name].value == pytest.approx(original[name].value, abs=0.5), name


def test_heel_strikes_are_judged_on_the_near_foot():
    """The far foot's heel and toe are half hidden at its strike; its heel→toe line reads flat
    on heel strikers. With the pose model seeing the near foot better, only its strikes count:
    a far foot drawn flat at every strike does not turn a heel striker into a flat-footed one,
    while the near foot drawn flat does."""
    from gaitcheck.landmarks import Landmark as L

    truth = json.loads((SAMPLES / "walk_side_good.truth.json").read_text())
    series, view, events = drawn_walk(truth)
    near = truth["view"]["near_side"]
    far = "left" if near == "right" else "right"
    feet = {"left": (L.LEFT_HEEL, L.LEFT_FOOT_INDEX), "right": (L.RIGHT_HEEL, L.RIGHT_FOOT_INDEX)}
    series.visibility[:, list(feet[near])] = 0.9
    series.visibility[:, list(feet[far])] = 0.4
    assert compute_metrics(series, view, events)["heel_strike_pct"].value == pytest.approx(100.0)

    def flatten(side: str):
        xy = series.xy.copy()
        heel, toe = feet[side]
        xy[:, toe, 1] = xy[:, heel, 1]  # heel→toe level in every frame
        return replace(series, xy=xy)

    assert compute_metrics(flatten(far), view, events)["heel_strike_pct"].value == pytest.approx(100.0)
    assert compute_metrics(flatten(near), view, events)["heel_strike_pct"].value == pytest.approx(0.0)


def test_a_strike_whose_labelled_foot_trails_is_not_read():
    """At a strike the pose model now and then gives the striking foot the other foot's label
    (or puts both heels on one foot); the labelled foot's pitch is then the trailing foot's,
    toes down before its toe off, and a heel striker read 50-67% (fresh seeds' and the suite's
    side_uneven_arms_ltr, truth 100%). A strike whose labelled heel does not lead the other by
    LEADS_BY_TORSO is left out: with the near foot's labels swapped at each of its strikes the
    walker must still read 100%, from the strikes that remain."""
    from gaitcheck.landmarks import Landmark as L

    truth = json.loads((SAMPLES / "walk_side_good.truth.json").read_text())
    series, view, events = drawn_walk(truth)
    near = truth["view"]["near_side"]
    far = "left" if near == "right" else "right"
    feet = {"left": [L.LEFT_HEEL, L.LEFT_FOOT_INDEX, L.LEFT_ANKLE], "right": [L.RIGHT_HEEL, L.RIGHT_FOOT_INDEX, L.RIGHT_ANKLE]}
    series.visibility[:, feet[near]] = 0.9
    series.visibility[:, feet[far]] = 0.4
    xy = series.xy.copy()
    for frame in events.heel_strikes[near]:
        xy[frame, feet[near]], xy[frame, feet[far]] = series.xy[frame, feet[far]], series.xy[frame, feet[near]]
    metric = compute_metrics(replace(series, xy=xy), view, events)["heel_strike_pct"]
    assert metric.value == pytest.approx(100.0), metric.spread
    assert metric.n == len(events.heel_strikes[far]) > 0


def test_heels_on_one_foot_at_a_strike_are_not_read():
    """Where the pose model puts both heels on one foot at a strike, neither pitch is the
    striking foot's: that strike is left out (not read as flat-footed)."""
    from gaitcheck.landmarks import Landmark as L

    truth = json.loads((SAMPLES / "walk_side_good.truth.json").read_text())
    series, view, events = drawn_walk(truth)
    near = truth["view"]["near_side"]
    far = "left" if near == "right" else "right"
    feet = {"left": [L.LEFT_HEEL, L.LEFT_FOOT_INDEX, L.LEFT_ANKLE], "right": [L.RIGHT_HEEL, L.RIGHT_FOOT_INDEX, L.RIGHT_ANKLE]}
    xy = series.xy.copy()
    for frame in events.heel_strikes[far]:
        xy[frame, feet[near]] = series.xy[frame, feet[far]]  # both feet drawn where the far one lands
        xy[frame, feet[near], 1] += 0.5  # not quite one point
    clean = compute_metrics(series, view, events)["heel_strike_pct"]
    metric = compute_metrics(replace(series, xy=xy), view, events)["heel_strike_pct"]
    assert metric.value == pytest.approx(100.0), metric.spread
    assert metric.n == clean.n - len(events.heel_strikes[far]) > 0, (metric.spread, clean.spread)


def test_arm_swing_asymmetry_needs_both_arms_seen_from_their_near_side():
    """One pass past the camera shows the far arm behind the body (elbow visibility ~0.1): its
    swing, and the asymmetry, are absent with a reason (it read half to two thirds of the drawn
    swing and failed healthy walkers' arm swing). Seen well, both arms give the asymmetry as drawn."""
    from gaitcheck.landmarks import Landmark as L

    truth = json.loads((SAMPLES / "walk_side_good.truth.json").read_text())
    series, view, events = drawn_walk(truth)
    near = truth["view"]["near_side"]
    elbows = {"left": L.LEFT_ELBOW, "right": L.RIGHT_ELBOW}
    series.visibility[:, elbows[near]] = 0.95
    series.visibility[:, elbows["left" if near == "right" else "right"]] = 0.1
    metrics = compute_metrics(series, view, events)
    assert metrics[f"arm_swing_{near}_deg"].spread["seen_from"] == "near side"
    far = metrics[f"arm_swing_{'left' if near == 'right' else 'right'}_deg"]
    assert not far.present and "far side" in far.reason  # its swing is not judged either
    assert not metrics["arm_swing_asymmetry_pct"].present and "far side" in metrics["arm_swing_asymmetry_pct"].reason
    series.visibility[:, list(elbows.values())] = 0.95
    both = compute_metrics(series, view, events)["arm_swing_asymmetry_pct"]
    assert both.present and both.value == pytest.approx(truth["metrics"]["arm_swing_asymmetry_pct"]["value"], abs=2.0)


def test_a_left_right_pair_collapsing_mid_swap_does_not_tilt_the_line():
    """Where the pose model swaps left and right for a frame or two, the filtered pair collapses
    towards its midpoint and its line points anywhere: those frames must not count, so pelvic
    drop, shoulder tilt and head tilt stay as drawn."""
    from gaitcheck.landmarks import Landmark as L

    truth = json.loads((SAMPLES / "walk_back_hip_drop.truth.json").read_text())
    series, view, events = drawn_walk(truth)
    before = compute_metrics(series, view, events)
    xy = series.xy.copy()
    rng = np.random.default_rng(0)
    for frame in range(10, len(xy) - 10, 17):
        for a, b in ((L.LEFT_HIP, L.RIGHT_HIP), (L.LEFT_SHOULDER, L.RIGHT_SHOULDER), (L.LEFT_EAR, L.RIGHT_EAR),
                     (L.LEFT_EYE, L.RIGHT_EYE), (L.MOUTH_LEFT, L.MOUTH_RIGHT)):
            mid = 0.5 * (xy[frame, a] + xy[frame, b])
            half = 0.05 * (xy[frame, b] - xy[frame, a])
            turn = rng.uniform(-np.pi, np.pi)
            rot = np.array([[np.cos(turn), -np.sin(turn)], [np.sin(turn), np.cos(turn)]])
            xy[frame, a], xy[frame, b] = mid - rot @ half, mid + rot @ half
    after = compute_metrics(replace(series, xy=xy), view, events)
    for name in ("pelvic_drop_deg", "shoulder_tilt_deg", "head_tilt_deg"):
        assert after[name].value == pytest.approx(before[name].value, abs=0.5), name


@pytest.mark.parametrize("order", ["side_first", "frontal_first"])
def test_a_clip_with_side_and_frontal_passes_keeps_both(order):
    """A walk past the camera and then towards it (or the reverse): each pass keeps its own
    signs, and `facing` stays a per-frame mask (a side pass once overwrote it with its sign,
    which crashed the frontal pass after it or left a number behind)."""
    from gaitcheck.metrics.walk import build_walk

    series = empty_series(100, 640, 360, 30.0)
    side, frontal = FixedPass(0, 40, "left_to_right"), FixedPass(50, 100, "towards")
    passes = (side, frontal) if order == "side_first" else (frontal, side)
    walk = build_walk(series, FixedView("side", "left_to_right", passes), None)
    assert walk.facing.shape == (100,) and walk.facing[50:].all() and not walk.facing[:50].any()
    assert np.isfinite(walk.forward[:40]).all() and np.isnan(walk.forward[40:]).all()
    assert np.isfinite(walk.right[50:]).all() and np.isnan(walk.right[:50]).all()


@pytest.mark.parametrize("sample", ["walk_back_hip_drop", "walk_front_elbows_out"])
def test_elbow_flare_does_not_depend_on_which_arm_is_called_left(sample):
    """The pose model sometimes labels a walker seen from behind as if facing the camera: with
    every left/right label swapped, elbow flare (and arm midline travel) must read the same."""
    from gaitcheck.landmarks import MIRROR

    truth = json.loads((SAMPLES / f"{sample}.truth.json").read_text())
    series, view, events = drawn_walk(truth)
    straight = compute_metrics(series, view, events)
    swapped = compute_metrics(replace(series, xy=series.xy[:, list(MIRROR)]), view, events)
    assert straight["elbow_flare_deg"].value == pytest.approx(truth["metrics"]["elbow_flare_deg"]["value"], abs=0.5)
    assert swapped["elbow_flare_deg"].value == pytest.approx(straight["elbow_flare_deg"].value, abs=0.5)
    if straight["arm_midline_crossing"].present:
        assert swapped["arm_midline_crossing"].value == pytest.approx(straight["arm_midline_crossing"].value, abs=0.02)


def test_side_asymmetry_error_is_that_of_a_two_sample_comparison():
    """The asymmetry's standard error is the pooled two-sample one: |difference| / t of
    scipy's equal-variance t-test, as a share of the mean."""
    from scipy.stats import ttest_ind

    from gaitcheck.metrics.summary import side_asymmetry

    left, right = [0.61, 0.58, 0.63, 0.60], [0.55, 0.57, 0.52]
    value, error = side_asymmetry(left, right)
    difference = np.mean(left) - np.mean(right)
    mean = 0.5 * (np.mean(left) + np.mean(right))
    assert value == pytest.approx(100 * abs(difference) / mean)
    assert error == pytest.approx(100 * abs(difference) / abs(ttest_ind(left, right).statistic) / mean)
    assert side_asymmetry([0.6], [0.5]) == (pytest.approx(100 * 0.1 / 0.55), None)


def test_stride_variability_is_the_scatter_within_each_pass():
    """A walker steady at 1.0 s strides one way and 1.15 s on the way back has no stride to
    stride variability; pooled over both passes the same strides read 8%. Within one pass the
    figure is the plain coefficient of variation."""
    from gaitcheck.metrics.steps import within_pass_cv

    cv, dof, used = within_pass_cv([1.0, 1.0, 1.0, 1.15, 1.15, 1.15], [0, 0, 0, 1, 1, 1])
    assert cv == pytest.approx(0.0, abs=1e-9) and dof == 4 and used == 6
    one_pass = [1.02, 0.97, 1.05, 0.99]
    cv, dof, used = within_pass_cv(one_pass, [0] * 4)
    assert cv == pytest.approx(100 * np.std(one_pass, ddof=1) / np.mean(one_pass)) and dof == 3
    assert within_pass_cv([1.0, 1.1], [0, 1])[1:] == (0, 0)  # one stride a pass: nothing to compare


def test_a_stride_with_lost_hips_gives_no_pelvic_drop():
    """Half the peak to peak of the hip line's tilt, unless the line swung steeper than a
    pelvis can (the landmarks were lost): then the stride has no value."""
    from gaitcheck.metrics.pelvis import MAX_HIP_TILT_DEG, stride_drop

    phase = np.linspace(0, 2 * np.pi, 30, endpoint=False)  # one stride: strike to next strike
    trendelenburg = 12.0 * np.sin(phase)
    assert stride_drop(trendelenburg) == pytest.approx(12.0, abs=0.1)
    glitch = trendelenburg.copy()
    glitch[10:13] = [-35.0, -50.0, -30.0]
    assert np.isnan(stride_drop(glitch)) and MAX_HIP_TILT_DEG < 30


def test_pelvic_drop_reads_the_stride_cycle_not_the_frame_noise():
    """An ordinary 3° drop with 1.5° of landmark noise per frame: half its raw peak to peak
    reads well over the 5° where engage_core warns, the stride's first harmonic reads 3°.
    Frames missing inside the stride keep their phase."""
    from gaitcheck.metrics.pelvis import stride_drop

    phase = np.linspace(0, 2 * np.pi, 36, endpoint=False)
    noisy = 3.0 * np.sin(phase) + np.random.default_rng(3).normal(0.0, 1.5, len(phase))
    assert 0.5 * np.ptp(noisy) > 5.0
    assert stride_drop(noisy) == pytest.approx(3.0, abs=0.6)
    gappy = noisy.copy()
    gappy[5:9] = np.nan
    assert stride_drop(gappy) == pytest.approx(3.0, abs=0.6)


def test_step_asymmetry_needs_a_third_step():
    """One step ending on each foot has no scatter to say how far to trust their difference:
    the asymmetries are absent with a reason, while cadence is still given."""
    truth = json.loads((SAMPLES / "walk_side_good.truth.json").read_text())
    series, view, events = drawn_walk(truth)
    first_three = sorted(int(f) for side in ("left", "right") for f in events.heel_strikes[side])[:3]
    few = replace(events, heel_strikes={side: np.array([f for f in frames if f in first_three], int)
                                        for side, frames in events.heel_strikes.items()})
    metrics = compute_metrics(series, view, few)
    assert metrics["cadence_spm"].present
    for name in ("step_time_asymmetry_pct", "step_length_asymmetry_pct"):
        assert not metrics[name].present and "three steps" in metrics[name].reason, name
    assert compute_metrics(series, view, events)["step_time_asymmetry_pct"].uncertainty > 0


def test_wrist_travel_ignores_a_frame_or_two_of_jitter():
    """Arms held still with two jittery frames in a 33-frame stride do not travel towards the
    midline (a plain peak-to-peak read them as 0.12 shoulder widths, a failing arm as passing),
    while a swinging wrist's travel is kept within 10%."""
    from gaitcheck.metrics.arms import travel_range

    still = np.zeros(33)
    still[[7, 21]] = [0.12, -0.05]
    assert np.ptp(still) > 0.15 and travel_range(still) < 0.02
    swing = 0.3 * np.maximum(0.0, np.cos(np.linspace(0, 2 * np.pi, 33)))
    assert travel_range(swing) == pytest.approx(np.ptp(swing), rel=0.1)


def test_arm_swing_reads_the_swing_not_the_frame_noise():
    """A stride's swing comes from its once-per-stride sinusoid: a 30° swing with 2° of frame
    noise and a lost frame reads within 1.5° of 30° (a raw peak-to-peak reads the noise's
    extremes on top), an arm held still reads under 2°, and a stride with too few frames none."""
    from gaitcheck.metrics.arms import stride_swing

    rng = np.random.default_rng(3)
    frames = np.arange(34)
    swing = 15.0 * np.sin(2 * np.pi * frames / 34 + 0.7) + 4.0 + rng.normal(0.0, 2.0, 34)
    swing[11] = np.nan
    assert stride_swing(swing) == pytest.approx(30.0, abs=1.5)
    assert np.nanmax(swing) - np.nanmin(swing) - 30.0 > abs(stride_swing(swing) - 30.0)
    still = rng.normal(0.0, 2.0, 34)
    assert stride_swing(still) < 2.0 < np.ptp(still) / 2
    swing[:10] = np.nan
    assert np.isnan(stride_swing(swing))


def test_the_pose_models_missing_share_of_arm_swing_is_put_back():
    """POSE_MODEL_BIAS scales the arm angle (and so the swing) by its gain; drawn landmarks
    (NO_BIAS) read the drawn swing, so the gain is the model's and not the metric's."""
    from gaitcheck.metrics import POSE_MODEL_BIAS

    truth = json.loads((SAMPLES / "walk_side_good.truth.json").read_text())
    near = truth["view"]["near_side"]
    drawn = compute_metrics(*drawn_walk(truth))[f"arm_swing_{near}_deg"]
    model = compute_metrics(*drawn_walk(truth), bias=POSE_MODEL_BIAS)[f"arm_swing_{near}_deg"]
    assert drawn.value == pytest.approx(truth["metrics"][f"arm_swing_{near}_deg"]["value"], abs=1.5)
    assert POSE_MODEL_BIAS.arm_angle_gain > 1.0
    assert model.value == pytest.approx(POSE_MODEL_BIAS.arm_angle_gain * drawn.value, rel=1e-6)


def test_heel_strike_is_read_against_the_flat_foot_not_the_horizontal():
    """The pose model's heel→toe line is not the sole: a constant offset (here 15° toes-down in
    every frame, which left a heel striker's contacts at 0-1° and read as flat-footed) must not
    change the share of heel-first contacts."""
    from gaitcheck.landmarks import Landmark as L

    truth = json.loads((SAMPLES / "walk_side_good.truth.json").read_text())
    series, view, events = drawn_walk(truth)
    assert compute_metrics(series, view, events)["heel_strike_pct"].value == pytest.approx(100.0)
    xy = series.xy.copy()
    forward = 1.0 if truth["view"]["direction"] == "left_to_right" else -1.0
    turn = np.radians(15.0) * forward  # toes down: clockwise on screen (y down) when walking right
    rot = np.array([[np.cos(turn), -np.sin(turn)], [np.sin(turn), np.cos(turn)]])
    for heel, toe in ((L.LEFT_HEEL, L.LEFT_FOOT_INDEX), (L.RIGHT_HEEL, L.RIGHT_FOOT_INDEX)):
        xy[:, toe] = xy[:, heel] + (xy[:, toe] - xy[:, heel]) @ rot.T
    offset = compute_metrics(replace(series, xy=xy), view, events)["heel_strike_pct"]
    assert offset.value == pytest.approx(100.0), offset.spread


def test_one_lost_step_does_not_make_a_symmetric_walker_limp():
    """Where the walker leaves the picture or passes behind someone, the pose model loses a foot
    and that step's heels collapse together (real clips: 57-77 px among 135-150 px steps, which
    read 23-42% asymmetry on healthy walkers). That step is no evidence of a limp: the drawn
    symmetric walker with its last step halved must still read symmetric."""
    from gaitcheck.landmarks import Landmark as L

    truth = json.loads((SAMPLES / "walk_side_good.truth.json").read_text())
    series, view, events = drawn_walk(truth)
    before = compute_metrics(series, view, events)["step_length_asymmetry_pct"].value
    last = events.steps()[-1][1]
    xy = series.xy.copy()
    around = slice(last - 6, last + 7)
    heels = [L.LEFT_HEEL, L.RIGHT_HEEL]
    middle = xy[around][:, heels, 0].mean(axis=1, keepdims=True)
    xy[around, heels, 0] = middle + 0.5 * (xy[around][:, heels, 0] - middle)  # the step reads half its length
    lost = compute_metrics(replace(series, xy=xy), view, events)["step_length_asymmetry_pct"]
    assert before < 1.0
    assert lost.value < 1.0, lost.spread
    assert len(lost.spread["dropped_px"]) == 1


@pytest.mark.parametrize("left,right", [([87.0, 87.0], [60.0, 60.0, 60.0]), ([87.0, 87.0, 87.0], [60.0, 60.0]),
                                        ([100.0, 100.0], [55.0, 55.0])])
def test_dropping_lost_steps_keeps_a_real_limp(left, right):
    """The plausibility band must not eat a genuine short step: the synthetic limp (0.69 step
    ratio, 37%) reads as drawn whichever foot has more steps, and a 0.55 ratio (58%) with equal
    counts still reads."""
    from gaitcheck.metrics.steps import step_length_asymmetry

    value, kept, dropped = step_length_asymmetry(left, right)
    assert not dropped
    short, long = min(left[0], right[0]), max(left[0], right[0])
    assert value == pytest.approx(200.0 * (long - short) / (long + short))


def test_a_level_head_on_a_forward_neck_is_not_read_as_looking_down(tmp_path_factory, monkeypatch):
    """Through the pose model the face line turns down with the neck: the slouched and
    forward-head samples look ahead (truth −1.9° and 3.6°, the good walker 2.9°) but read 15-17°
    with nothing taken off. With the model's share of head forward taken off they must read
    no more than 3° above the good walker; without it they would not (so this sees the share)."""
    import gaitcheck.analysis as analysis_module
    from gaitcheck.analysis import analyze_path
    from gaitcheck.metrics import POSE_MODEL_BIAS
    from sample_reports import sample_series

    def pitches() -> dict[str, float]:
        return {name: analyze_path(sample_series(tmp_path_factory, name)).metrics["head_pitch_deg"].value
                for name in ("walk_side_good", "walk_side_slouch", "walk_side_forward_head")}

    taken_off = pitches()
    monkeypatch.setattr(analysis_module, "POSE_MODEL_BIAS", replace(POSE_MODEL_BIAS, pitch_per_head_forward=0.0))
    left_on = pitches()
    for name in ("walk_side_slouch", "walk_side_forward_head"):
        assert taken_off[name] <= taken_off["walk_side_good"] + 3.0, (name, taken_off)
        assert left_on[name] > left_on["walk_side_good"] + 3.0, (name, left_on)


def test_a_level_head_on_a_leaning_trunk_is_not_read_as_tilted(tmp_path, monkeypatch):
    """Through the pose model the ear line tilts with a sideways-leaning trunk: the seeded
    suite's front_side_lean walker leans 8° with a level head (truth −0.2°) and reads 6-7° of
    head tilt with nothing taken off, which fails shoulders_level. With the model's share of
    the lean taken off it must read within 2.5° of the truth; without it, 4° or more over."""
    import gaitcheck.analysis as analysis_module
    from gaitcheck.analysis import analyze_path
    from gaitcheck.metrics import POSE_MODEL_BIAS
    from gaitcheck.synth.clip import render_clip
    from gaitcheck.synth.suite import SUITE

    clip, series = tmp_path / "front_side_lean.mp4", tmp_path / "front_side_lean.npz"
    truth = render_clip(SUITE["front_side_lean"], clip)["metrics"]["head_tilt_deg"]["value"]
    taken_off = analyze_path(clip, save_series_to=series).metrics["head_tilt_deg"].value
    monkeypatch.setattr(analysis_module, "POSE_MODEL_BIAS", replace(POSE_MODEL_BIAS, tilt_per_lateral_lean=0.0))
    left_on = analyze_path(series).metrics["head_tilt_deg"].value
    assert abs(taken_off - truth) <= 2.5, (taken_off, truth)
    assert left_on - truth >= 4.0, (left_on, truth)


def test_a_level_head_over_a_dropped_shoulder_is_not_read_as_tilted(tmp_path_factory, monkeypatch):
    """Through the pose model the head's lines tilt with the shoulder line: the front
    shoulder-tilt sample (right shoulder 7° lower, head level: truth −1.1°) reads 1.5° of head
    tilt with only the lean's share taken off (ear line alone: 2.6°), 0.0° with 0.4 of the
    shoulders' steady tilt off too. It must read within 2.5° of the truth, and at least 1°
    nearer to it than without that share."""
    from sample_reports import sample_series

    import gaitcheck.analysis as analysis_module
    from gaitcheck.analysis import analyze_path
    from gaitcheck.metrics import POSE_MODEL_BIAS

    name = "walk_front_shoulder_tilt"
    truth = json.loads((SAMPLES / f"{name}.truth.json").read_text())["metrics"]["head_tilt_deg"]["value"]
    series = sample_series(tmp_path_factory, name)
    taken_off = analyze_path(series).metrics["head_tilt_deg"].value
    monkeypatch.setattr(analysis_module, "POSE_MODEL_BIAS", replace(POSE_MODEL_BIAS, tilt_per_shoulder_tilt=0.0))
    left_on = analyze_path(series).metrics["head_tilt_deg"].value
    assert abs(taken_off - truth) <= 2.5, (taken_off, truth)
    assert abs(taken_off - truth) + 1.0 <= left_on - truth, (taken_off, left_on, truth)


def test_the_shoulders_steady_tilt_is_taken_per_pass():
    """A front pass straight after a back pass (the sign flips with no frame between) gets its
    own median, frames outside any pass none."""
    from gaitcheck.metrics.head import per_pass_median

    values = np.array([1.0, 2.0, 3.0, np.nan, 40.0, 10.0, 30.0, 5.0, 6.0, 7.0])
    right = np.array([1.0, 1.0, 1.0, 1.0, np.nan, -1.0, -1.0, 1.0, 1.0, 1.0])
    assert np.array_equal(per_pass_median(values, right), [2, 2, 2, 2, np.nan, 20, 20, 6, 6, 6], equal_nan=True)
