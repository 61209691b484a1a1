"""The bundled pose model: found with no configuration, chosen by --model / $GAITCHECK_MODEL,
gives the stored landmarks on a fixed image, and rebuilds byte-identically (slow).

The fixed image (tests/data/figure.png) is a figure drawn with OpenCV by `draw_figure` below;
its reference landmarks (tests/data/figure_landmarks.npz) were made by this model. Regenerate
both, after a deliberate model change only, with:  python tests/test_model.py --regenerate
"""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

from conftest import DATA, REPO, write_clip
from gaitcheck.errors import InputError
from gaitcheck.model import ENV_VAR, MODEL_NAME, find_model

FIGURE = DATA / "figure.png"
REFERENCE = DATA / "figure_landmarks.npz"
TOLERANCE = 1e-3  # in normalised image coordinates (≈ 0.6 px on the 480×640 figure)


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def documented_sha256() -> str:
    text = (REPO / "models" / "README.md").read_text(encoding="utf-8")
    found = re.search(r"\|\s*sha256\s*\|\s*`([0-9a-f]{64})`", text)
    assert found, "models/README.md must state the model's sha256"
    return found.group(1)


def draw_figure(width: int = 480, height: int = 640) -> np.ndarray:
    """A standing person drawn from filled shapes (BGR): head with face, shirt, trousers, arms."""
    import cv2

    image = np.full((height, width, 3), (200, 210, 215), np.uint8)
    image[int(height * 0.9):] = (120, 140, 150)  # floor
    scale = height / 640.0

    def at(x: float, y: float) -> tuple[int, int]:
        return int(round(x * scale + (width - 480 * scale) / 2)), int(round(y * scale))

    skin, shirt, trousers, shoe, hair = (150, 180, 225), (160, 80, 40), (60, 50, 45), (30, 30, 30), (40, 50, 70)

    def limb(a, b, thickness, colour):
        cv2.line(image, at(*a), at(*b), colour, int(thickness * scale), cv2.LINE_AA)
        for end in (a, b):
            cv2.circle(image, at(*end), int(thickness * scale / 2), colour, -1, cv2.LINE_AA)

    limb((215, 330), (205, 450), 44, trousers)
    limb((205, 450), (200, 565), 36, trousers)
    limb((265, 330), (275, 450), 44, trousers)
    limb((275, 450), (285, 565), 36, trousers)
    limb((190, 575), (225, 578), 20, shoe)
    limb((280, 575), (315, 578), 20, shoe)
    torso = np.array([at(180, 150), at(300, 150), at(285, 340), at(195, 340)], np.int32)
    cv2.fillConvexPoly(image, torso, shirt, cv2.LINE_AA)
    limb((180, 160), (160, 250), 30, shirt)
    limb((160, 250), (155, 330), 24, skin)
    limb((300, 160), (320, 250), 30, shirt)
    limb((320, 250), (325, 330), 24, skin)
    for hand in ((155, 338), (325, 338)):
        cv2.circle(image, at(*hand), int(14 * scale), skin, -1, cv2.LINE_AA)
    limb((240, 120), (240, 150), 34, skin)  # neck
    cv2.ellipse(image, at(240, 90), (int(34 * scale), int(44 * scale)), 0, 0, 360, skin, -1, cv2.LINE_AA)
    cv2.ellipse(image, at(240, 70), (int(36 * scale), int(26 * scale)), 0, 180, 360, hair, -1, cv2.LINE_AA)
    for eye_x in (226, 254):
        cv2.ellipse(image, at(eye_x, 86), (int(6 * scale), int(3 * scale)), 0, 0, 360, (250, 250, 250), -1, cv2.LINE_AA)
        cv2.circle(image, at(eye_x, 86), int(2.5 * scale), (40, 30, 20), -1, cv2.LINE_AA)
    cv2.line(image, at(240, 90), at(236, 104), (110, 140, 190), int(3 * scale), cv2.LINE_AA)  # nose
    cv2.ellipse(image, at(240, 114), (int(10 * scale), int(3 * scale)), 0, 0, 180, (80, 80, 170), int(2 * scale), cv2.LINE_AA)
    for ear_x in (206, 274):
        cv2.ellipse(image, at(ear_x, 92), (int(5 * scale), int(10 * scale)), 0, 0, 360, skin, -1, cv2.LINE_AA)
    return image


def landmarks_of(image_bgr: np.ndarray, model=None):
    import cv2

    from gaitcheck.pose import PoseEstimator

    with PoseEstimator(model, max_persons=1, video=False) as estimator:
        return estimator.detect(cv2.cvtColor(image_bgr, cv2.COLOR_BGR2RGB))


def load_figure() -> np.ndarray:
    import cv2

    image = cv2.imread(str(FIGURE), cv2.IMREAD_COLOR)
    assert image is not None, f"cannot read {FIGURE}"
    return image


# --- finding the model ----------------------------------------------------------------------


def test_bundled_model_is_found_without_configuration(monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)
    model = find_model()
    assert model.name == MODEL_NAME and model.is_file()
    assert sha256(model) == documented_sha256() == sha256(REPO / "models" / MODEL_NAME)
    with zipfile.ZipFile(model) as bundle:
        assert sorted(bundle.namelist()) == ["pose_detector.tflite", "pose_landmarks_detector.tflite"]


def test_model_from_environment_and_argument(monkeypatch, tmp_path):
    copy = tmp_path / "copy.task"
    shutil.copyfile(find_model(), copy)
    monkeypatch.setenv(ENV_VAR, str(copy))
    assert find_model() == copy
    other = tmp_path / "other.task"
    shutil.copyfile(copy, other)
    assert find_model(other) == other, "an explicit path beats the environment"
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "missing.task"))
    with pytest.raises(InputError) as caught:
        find_model()
    assert "missing.task" in caught.value.message
    with pytest.raises(InputError):
        find_model(tmp_path)  # a folder is not a model


def test_cli_runs_with_model_option_and_environment(cli, tmp_path):
    """--model and $GAITCHECK_MODEL are really used: a copy works, a missing one fails cleanly."""
    clip = write_clip(tmp_path / "figure.mp4", [load_figure()] * 6, 10.0)
    copy = tmp_path / "copy.task"
    shutil.copyfile(find_model(), copy)
    code, _, err = cli("landmarks", clip, "-o", "a.npz", "-q", "--model", copy, "--turn", "0", cwd=tmp_path)
    assert code == 0, err
    from gaitcheck.series import load_series

    assert load_series(tmp_path / "a.npz").detected.all()

    code, _, err = cli("landmarks", clip, "-o", "b.npz", "-q", cwd=tmp_path, env={ENV_VAR: str(tmp_path / "gone.task")})
    assert code == 2 and "gone.task" in err and "Traceback" not in err
    code, _, err = cli("landmarks", clip, "-o", "b.npz", "-q", "--model", tmp_path / "gone.task", cwd=tmp_path)
    assert code == 2 and "gone.task" in err and "Traceback" not in err
    assert not (tmp_path / "b.npz").exists()


def test_cli_refuses_a_file_that_is_not_a_model(cli, tmp_path):
    clip = write_clip(tmp_path / "figure.mp4", [load_figure()] * 3, 10.0)
    junk = tmp_path / "junk.task"
    junk.write_text("not a model\n")
    code, _, err = cli("landmarks", clip, "-o", "out.npz", "-q", "--model", junk, cwd=tmp_path)
    lines = err.strip().splitlines()
    assert "Traceback" not in err, err
    assert code == 2, err
    assert len(lines) == 1 and lines[0].startswith("gaitcheck: ") and "junk.task" in lines[0], err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["figure.mp4", "junk.task"]


def test_wheel_carries_the_model_and_finds_it(tmp_path):
    pytest.importorskip("hatchling", reason="building the wheel offline needs hatchling in this venv")
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                           "--no-index", "-w", tmp_path, REPO], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    wheel = next(tmp_path.glob("gaitcheck-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(tmp_path / "site")
    installed = tmp_path / "site" / "gaitcheck" / "models" / MODEL_NAME
    assert sha256(installed) == documented_sha256()
    env = {k: v for k, v in os.environ.items() if k != ENV_VAR}
    env["PYTHONPATH"] = str(tmp_path / "site")
    found = subprocess.run([sys.executable, "-c", "from gaitcheck.model import find_model; print(find_model())"],
                           cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert Path(found.stdout.strip()) == installed, found.stderr


# --- what the model finds -----------------------------------------------------------------


def test_landmarks_on_the_fixed_image_match_the_reference():
    image = load_figure()
    height, width = image.shape[:2]
    reference = np.load(REFERENCE)
    poses = landmarks_of(image)
    assert len(poses) == 1
    pose = poses[0]
    normalised = pose.xy / np.array([width, height])
    error = np.abs(normalised - reference["xy_normalised"])
    assert error.max() < TOLERANCE, f"largest landmark difference {error.max():.2e} (at {np.argmax(error) // 2})"
    np.testing.assert_allclose(pose.visibility, reference["visibility"], atol=0.02)
    np.testing.assert_allclose(pose.world, reference["world"], atol=0.01)


def test_reference_image_is_a_person_where_drawn():
    """Guards the reference: the figure's drawn joints sit where the stored landmarks are."""
    from gaitcheck.landmarks import Landmark as L

    reference = np.load(REFERENCE)["xy_normalised"] * np.array([480, 640])
    drawn = {L.LEFT_SHOULDER: (300, 160), L.RIGHT_SHOULDER: (180, 160), L.LEFT_HIP: (265, 330),
             L.RIGHT_HIP: (215, 330), L.LEFT_KNEE: (275, 450), L.RIGHT_KNEE: (205, 450),
             L.LEFT_ANKLE: (285, 565), L.RIGHT_ANKLE: (200, 565), L.NOSE: (240, 95)}
    for landmark, (x, y) in drawn.items():
        assert np.hypot(*(reference[landmark] - (x, y))) < 25, landmark.name


# --- the build script ---------------------------------------------------------------------


@pytest.mark.slow
def test_build_script_reproduces_committed_model(tmp_path):
    """Rebuild from the pinned mediapipe 0.10.21 wheel (downloads it from PyPI: opt-in only)."""
    if shutil.which("bash") is None:
        pytest.skip("needs bash")
    out = tmp_path / "rebuilt.task"
    done = subprocess.run(["bash", str(REPO / "models" / "build_pose_model.sh"), str(out)],
                          capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0, done.stderr[-3000:]
    assert sha256(out) == sha256(REPO / "models" / MODEL_NAME) == documented_sha256()


def regenerate() -> None:
    import cv2

    DATA.mkdir(exist_ok=True)
    image = draw_figure()
    assert cv2.imwrite(str(FIGURE), image)
    image = load_figure()
    (pose,) = landmarks_of(image)
    height, width = image.shape[:2]
    np.savez_compressed(
        REFERENCE, xy_normalised=(pose.xy / np.array([width, height])).astype(np.float64),
        visibility=pose.visibility.astype(np.float64), world=pose.world.astype(np.float64),
        model_sha256=np.array(sha256(find_model())),
    )
    print(f"wrote {FIGURE} and {REFERENCE}")


if __name__ == "__main__":
    if sys.argv[1:] == ["--regenerate"]:
        regenerate()
    else:
        print(__doc__)
