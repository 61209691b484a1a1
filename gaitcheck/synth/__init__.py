"""Synthetic walkers with known posture: ground truth, samples and the regression suite.

Modules, one concern each:
- posture.py  the posture parameters and the named presets (`slouch`, `stiff_arms`, …)
- gait.py     stride timing and the hip/knee/foot angle curves of the gait cycle
- skeleton.py the 3D skeleton at any instant (Winter's segment lengths)
- camera.py   where the camera stands for each view; world → pixels; camera roll
- look.py     skin, clothes, build, room colours, noise, blur, exposure (seeded)
- scene.py    the room: floor, wall, doors, windows, floor boards
- render.py   drawing one frame
- truth.py    metrics and expected verdicts measured on the drawn 2D skeleton
- clip.py     one clip: spec → mp4 + truth JSON (atomic), or truth alone
- suite.py    the fixed regression suite and the shipped samples
- command.py  `gaitcheck synth`

Truth JSON (`clip.truth.json`, schema gaitcheck/synth-truth-v1): `input` (fps, frames, size),
`view` (camera, direction — the screen direction for side and oblique views —, camera_roll_deg,
near_side, approach, treadmill, panning), `persons`,
`generator` (preset, seed, posture, stature, speed, look), `heel_strikes` (per side: t, and in
side views the drawn step length and foot pitch), `metrics` (DESIGN.md names: value, unit, n,
spread — or value null with a reason), `rules` (expected status per rule), `thresholds`,
`landmark_names`, and `frames` (t, landmarks_px as drawn (33 × x, y per frame),
body_height_px, and the per-frame series behind each metric).
"""
