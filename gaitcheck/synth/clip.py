"""One synthetic clip: its specification, and rendering it to an mp4 plus a truth JSON.

Both files are written under temporary names and renamed into place, so a reader never sees
half a clip. The same spec (seed included) gives the same frames, byte for byte.
"""
from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Callable

import numpy as np

from gaitcheck.landmarks import Landmark
from gaitcheck.synth import camera as cam
from gaitcheck.synth import gait, look, render, scene, skeleton, truth
from gaitcheck.synth.posture import Posture, natural_variation, posture_from_preset, preset_fields

TRUTH_SCHEMA = "gaitcheck/synth-truth-v1"


@dataclass(frozen=True)
class ClipSpec:
    """Everything that decides a clip; `seed` fixes every random choice."""

    preset: str = "good"
    view: str = "side"
    direction: str | None = None  # left_to_right | right_to_left for side views
    seed: int = 0
    duration: float = 5.0
    fps: float = 30.0
    width: int = 640
    height: int = 360
    roll_deg: float = 0.0
    treadmill: bool = False
    second_person: bool = False
    clean: bool = False  # no noise, no blur
    vary: bool = True  # healthy walkers differ: fields the preset leaves alone vary by seed
    stature: float | None = None  # metres; None = drawn from the seed
    overrides: dict = field(default_factory=dict)  # Posture fields set on top of the preset

    def posture(self) -> Posture:
        return posture_from_preset(self.preset, **self.overrides)


def truth_path(video: Path) -> Path:
    """clip.mp4 → clip.truth.json"""
    return video.with_name(video.stem + ".truth.json")


@dataclass
class _Scene:
    spec: ClipSpec
    walker: skeleton.Walker
    camera: cam.Camera
    look: look.Look
    scenery: look.Scenery
    room: list
    direction: str
    second: tuple[skeleton.Walker, np.ndarray, float, look.Look] | None
    noise_rng: np.random.Generator


MAX_APPROACH_S = 6.0  # longer walks towards/away from the camera start or end too far away


def check(spec: ClipSpec) -> None:
    """Raise ValueError if the spec cannot make a usable clip."""
    if spec.view not in cam.VIEWS:
        raise ValueError(f"unknown view {spec.view!r}")
    if spec.direction is not None and (spec.view not in ("side", "oblique")
                                       or spec.direction not in cam.SIDE_DIRECTIONS):
        raise ValueError(f"direction {spec.direction!r} needs a side or oblique view and one of "
                         f"{', '.join(cam.SIDE_DIRECTIONS)}")
    if spec.view != "side" and not spec.treadmill and spec.duration > MAX_APPROACH_S:
        raise ValueError(f"a {spec.view} view longer than {MAX_APPROACH_S:g} s needs --treadmill "
                         "(the walker would be too far from the camera)")
    spec.posture()  # unknown presets or fields


def build(spec: ClipSpec) -> _Scene:
    """Set up walker, camera and room for a spec (no drawing yet)."""
    check(spec)
    direction = cam.walking_direction(spec.view, spec.direction)
    rngs = [np.random.default_rng(s) for s in np.random.SeedSequence(spec.seed).spawn(6)]
    walk_rng, look_rng, cam_rng, room_rng, noise_rng, second_rng = rngs
    posture = spec.posture()
    stature = spec.stature or float(walk_rng.uniform(1.55, 1.92))
    pace = float(walk_rng.uniform(0.9, 1.1))
    style = np.random.default_rng(np.random.SeedSequence([spec.seed, 7]))
    fixed = preset_fields(spec.preset) | set(spec.overrides)
    if spec.vary:
        posture = natural_variation(posture, fixed, style)
        if "cadence_spm" not in fixed:  # walkers differ in pace too
            posture = replace(posture, cadence_spm=round(posture.cadence_spm * pace, 2))
    schedule = gait.make_schedule(posture.cadence_spm, posture.step_time_asymmetry,
                                  posture.stride_time_jitter, 0.0, spec.duration, walk_rng)
    walker = skeleton.Walker(posture, stature, schedule, spec.treadmill)
    camera = cam.frame_camera(spec.view, direction, walker.speed, spec.duration, stature,
                              spec.width, spec.height, spec.roll_deg, cam_rng)
    scenery = look.random_scenery(look_rng, clean=spec.clean)
    person_look = look.random_look(look_rng, avoid=(scenery.wall, scenery.floor))
    if spec.view == "side":
        wall = abs(camera.position[2]) + float(room_rng.uniform(2.5, 4.0))
    else:
        wall = float(np.linalg.norm(camera.position[[0, 2]])) + walker.speed * spec.duration \
            + float(room_rng.uniform(4.0, 8.0))
    room = scene.build_room(camera, scenery, spec.duration, room_rng, wall)
    second = None
    if spec.second_person:
        other = posture_from_preset("good", cadence_spm=float(second_rng.uniform(95, 120)))
        other_schedule = gait.make_schedule(other.cadence_spm, 0.0, 0.01, 0.0, spec.duration, second_rng)
        other_walker = skeleton.Walker(other, float(second_rng.uniform(1.55, 1.9)), other_schedule)
        travel = other_walker.speed * spec.duration
        if spec.view == "side":
            behind = -np.sign(camera.position[2]) * 2.0
            origin = np.array([walker.speed * spec.duration / 2 + travel / 2, 0.0, behind])
            heading = 180.0
        else:
            # Behind the walker as the camera sees it: beyond the start, or beyond the end.
            x = walker.speed * spec.duration + 2.0 if spec.view == "back" else -2.0
            origin = np.array([x, 0.0, travel / 2])
            heading = 90.0
        second = (other_walker, origin, heading,
                  look.random_look(second_rng, avoid=(scenery.wall, scenery.floor, person_look.shirt)))
    return _Scene(spec, walker, camera, person_look, scenery, room, direction, second, noise_rng)


def _person(walker: skeleton.Walker, frame: skeleton.Frame3D, look_: look.Look,
            origin: np.ndarray | None = None, heading: float = 0.0) -> render.Person:
    points = frame.points if origin is None else skeleton.place(frame.points, origin, heading)
    turn = (lambda axes: axes) if origin is None else (lambda axes: skeleton.rotate_axes(axes, heading))
    return render.Person(points, turn(frame.trunk_axes), turn(frame.pelvis_axes),
                         turn(frame.head_axes), walker.stature, look_)


def drawn_landmarks(s: _Scene, frame: skeleton.Frame3D, t: float) -> tuple[np.ndarray, np.ndarray, float]:
    """Level and output pixel positions (33, 2) of the walker's landmarks, and the scale."""
    level, scale = s.camera.weak(frame.landmarks(), frame.points["pelvis"], t)
    return level, s.camera.roll(level), scale


def frames(s: _Scene):
    """Yield (t, BGR image, Frame3D) for every frame of the clip."""
    n = int(round(s.spec.duration * s.spec.fps))
    for i in range(n):
        t = i / s.spec.fps
        frame = s.walker.pose(t)
        people = [_person(s.walker, frame, s.look)]
        if s.second is not None:
            other, origin, heading, other_look = s.second
            people.insert(0, _person(other, other.pose(t), other_look, origin, heading))
        yield t, render.draw_frame(s.camera, s.room, people, t, s.scenery, s.noise_rng), frame


def strike_geometry(s: _Scene, strikes: dict[str, np.ndarray], g: truth.Geometry) -> dict[str, list[dict]]:
    """At each heel strike: the drawn heel-to-heel step length (px) and foot pitch (deg)."""
    out: dict[str, list[dict]] = {"left": [], "right": []}
    for side in ("left", "right"):
        other = "right" if side == "left" else "left"
        for t in strikes[side]:
            frame = s.walker.pose(float(t))
            level, _, _ = drawn_landmarks(s, frame, float(t))
            heel = level[Landmark[f"{side.upper()}_HEEL"]]
            toe = level[Landmark[f"{side.upper()}_FOOT_INDEX"]]
            other_heel = level[Landmark[f"{other.upper()}_HEEL"]]
            foot = toe - heel
            out[side].append({
                "t": round(float(t), 4),
                "step_length_px": float(g.forward_sign * (heel[0] - other_heel[0])),
                "foot_pitch_deg": float(np.degrees(np.arctan2(-foot[1], g.forward_sign * foot[0]))),
            })
    return out


def _near_side(view: str, direction: str) -> str | None:
    """Which side of the walker faces the camera in a side view (the far limbs are hidden)."""
    if view not in ("side", "oblique"):
        return None
    return "right" if direction == "left_to_right" else "left"


def build_truth(s: _Scene, times: np.ndarray, level: np.ndarray, pixels: np.ndarray,
                scales: np.ndarray, name: str) -> dict:
    """The truth JSON value for a rendered clip."""
    spec = s.spec
    g = truth.geometry(spec.view, s.direction)
    strikes = {side: truth.heel_strike_times(lambda t, side=side: s.walker.foot_contact_height(side, t),
                                             0.0, (len(times) - 1) / spec.fps)
               for side in ("left", "right")}
    geo = strike_geometry(s, strikes, g)
    series = truth.frame_series(level, g)
    metrics = truth.summarise(series, times, strikes, geo, g)
    return {
        "schema": TRUTH_SCHEMA,
        "input": {"path": name, "fps": spec.fps, "frames": len(times), "duration_s": len(times) / spec.fps,
                  "width": spec.width, "height": spec.height},
        "view": {"camera": spec.view, "direction": s.direction, "camera_roll_deg": spec.roll_deg,
                 "near_side": _near_side(spec.view, s.direction),
                 "approach": {"front": "towards", "back": "away", "oblique": "towards"}.get(spec.view),
                 "treadmill": spec.treadmill, "panning": s.camera.pan_speed != 0.0},
        "persons": 2 if spec.second_person else 1,
        "generator": {"preset": spec.preset, "seed": spec.seed, "overrides": spec.overrides, "vary": spec.vary,
                      "posture": asdict(s.walker.posture), "stature_m": round(s.walker.stature, 4),
                      "speed_m_s": round(s.walker.speed if not spec.treadmill else s.walker.belt_speed, 4),
                      "noise_sigma": round(s.scenery.noise_sigma, 3), "blur_sigma": s.scenery.blur_sigma,
                      "exposure": s.scenery.exposure, "girth": s.look.girth,
                      "clean": spec.clean},
        "heel_strikes": {side: [e if spec.view == "side" else {"t": e["t"]} for e in geo[side]]
                         for side in ("left", "right")},
        "metrics": metrics,
        "rules": truth.verdicts(metrics, spec.view),
        "landmark_names": [lm.name for lm in Landmark],
        "frames": {
            "t": [round(float(t), 4) for t in times],
            "landmarks_px": np.round(pixels, 2).tolist(),
            "body_height_px": np.round(scales * s.walker.stature, 2).tolist(),
            "series": {k: np.round(v, 3).tolist() for k, v in series.items()},
        },
    }


def render_clip(spec: ClipSpec, out: str | Path, on_frame: Callable[[int, int], None] | None = None) -> dict:
    """Render `spec` to `out` (mp4, OpenCV 'mp4v') and its truth JSON beside it; return the truth."""
    import cv2

    out = Path(out)
    s = build(spec)
    tmp_video = out.with_name(f".{out.stem}.{os.getpid()}.tmp{out.suffix}")
    tmp_truth = out.with_name(f".{out.stem}.{os.getpid()}.tmp.json")
    writer = cv2.VideoWriter(str(tmp_video), cv2.VideoWriter_fourcc(*"mp4v"), spec.fps,
                             (spec.width, spec.height))
    if not writer.isOpened():
        raise OSError(f"cannot write video {out}")
    times, level, pixels, scales = [], [], [], []
    total = int(round(spec.duration * spec.fps))
    try:
        for i, (t, image, frame) in enumerate(frames(s)):
            writer.write(image)
            lv, px, scale = drawn_landmarks(s, frame, t)
            times.append(t), level.append(lv), pixels.append(px), scales.append(scale)
            if on_frame:
                on_frame(i + 1, total)
        writer.release()
        value = build_truth(s, np.array(times), np.array(level), np.array(pixels), np.array(scales), out.name)
        tmp_truth.write_text(json.dumps(value, separators=(",", ":")))
        os.replace(tmp_video, out)
        os.replace(tmp_truth, truth_path(out))
    finally:
        writer.release()
        for tmp in (tmp_video, tmp_truth):
            tmp.unlink(missing_ok=True)
    return value


def compute_truth(spec: ClipSpec, name: str = "clip.mp4") -> dict:
    """The truth of a clip without drawing it (fast: for tests and suite checks)."""
    s = build(spec)
    n = int(round(spec.duration * spec.fps))
    times = np.arange(n) / spec.fps
    drawn = [drawn_landmarks(s, s.walker.pose(float(t)), float(t)) for t in times]
    level = np.array([d[0] for d in drawn])
    pixels = np.array([d[1] for d in drawn])
    scales = np.array([d[2] for d in drawn])
    return build_truth(s, times, level, pixels, scales, name)
