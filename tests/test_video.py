"""video.py: probe facts, real timestamps, stride/start/stop, scaling, rotation flags, damage."""
from __future__ import annotations

import numpy as np
import pytest

from conftest import TINY_FPS, TINY_FRAMES, TINY_SIZE, frame_number, tiny_frame, write_clip
from gaitcheck import video
from gaitcheck.errors import InputError, NotAnalysableError


def test_probe_reports_the_generated_clip(tiny_clip):
    info = video.probe(tiny_clip)
    assert (info.width, info.height) == TINY_SIZE
    assert info.fps == pytest.approx(TINY_FPS, rel=1e-3)
    assert info.frame_count == TINY_FRAMES
    assert info.duration_s == pytest.approx(TINY_FRAMES / TINY_FPS, abs=0.05)
    assert info.rotation == 0
    assert info.path == str(tiny_clip)


def test_frames_come_in_order_with_constant_rate_timestamps(tiny_clip):
    frames = list(video.frames(tiny_clip))
    assert [f.index for f in frames] == list(range(TINY_FRAMES))
    assert [frame_number(f.image) for f in frames] == list(range(TINY_FRAMES))
    times = np.array([f.time_s for f in frames])
    assert np.all(np.diff(times) > 0)
    np.testing.assert_allclose(times, np.arange(TINY_FRAMES) / TINY_FPS, atol=1e-3)
    assert frames[0].image.shape == (TINY_SIZE[1], TINY_SIZE[0], 3)
    assert frames[0].image.dtype == np.uint8


def test_variable_frame_rate_clip_keeps_its_real_timestamps(tiny_clip, ffmpeg, tmp_path):
    # 20 frames at 25 fps, then 20 frames 0.2 s apart: a nominal frame rate fits neither part.
    vfr = tmp_path / "vfr.mp4"
    ffmpeg("-i", tiny_clip, "-vf", "setpts='if(lt(N,20),N/25,0.8+(N-20)/5)/TB'",
           "-fps_mode", "passthrough", "-c:v", "libx264", "-pix_fmt", "yuv420p", vfr)
    expected = np.concatenate([np.arange(20) / 25, 0.8 + np.arange(20) / 5])
    frames = list(video.frames(vfr))
    assert len(frames) == 40
    np.testing.assert_allclose([f.time_s for f in frames], expected, atol=2e-3)
    assert [frame_number(f.image) for f in frames] == list(range(40))


def test_stride_start_stop_pick_the_right_frames(tiny_clip):
    frames = list(video.frames(tiny_clip, stride=3))
    assert [f.index for f in frames] == list(range(0, TINY_FRAMES, 3))
    assert [frame_number(f.image) for f in frames] == [f.index for f in frames]
    np.testing.assert_allclose([f.time_s for f in frames], np.arange(0, TINY_FRAMES, 3) / TINY_FPS, atol=1e-3)

    frames = list(video.frames(tiny_clip, start=5, stop=17, stride=4))
    assert [f.index for f in frames] == [5, 9, 13]
    assert [frame_number(f.image) for f in frames] == [5, 9, 13]


def test_stride_below_one_is_refused(tiny_clip):
    with pytest.raises(ValueError):
        next(video.frames(tiny_clip, stride=0))


def test_max_side_scales_down_never_up(tiny_clip):
    small = next(iter(video.frames(tiny_clip, max_side=80)))
    assert small.image.shape[:2] == (48, 80)
    same = next(iter(video.frames(tiny_clip, max_side=4000)))
    assert same.image.shape[:2] == (TINY_SIZE[1], TINY_SIZE[0])
    assert video.fit_within(1920, 1080, 640) == (640, 360)
    assert video.fit_within(1080, 1920, 640) == (360, 640)
    assert video.fit_within(100, 50, None) == (100, 50)


def test_turn_image_turns_clockwise():
    import cv2

    image = tiny_frame(3)
    turned = video.turn_image(image, 90)
    assert turned.shape[:2] == (image.shape[1], image.shape[0])
    # clockwise: the red top-left block ends in the top-right corner
    red = np.argwhere((turned[:, :, 2] > 200) & (turned[:, :, 0] < 80))
    assert red[:, 0].max() < turned.shape[0] / 2 and red[:, 1].min() > turned.shape[1] / 2
    assert np.array_equal(video.turn_image(image, 270), cv2.rotate(image, cv2.ROTATE_90_COUNTERCLOCKWISE))
    assert np.array_equal(video.turn_image(image, 360), image)
    assert np.array_equal(video.turn_image(video.turn_image(image, 90), 270), image)


# ffmpeg's -display_rotation is counter-clockwise; the decoder must turn the frames so they show
# as the flag says, and probe reports the same turn clockwise.
@pytest.mark.parametrize("ccw, cw_turn, rotate_code", [(90, 270, "ROTATE_90_COUNTERCLOCKWISE"),
                                                       (270, 90, "ROTATE_90_CLOCKWISE"),
                                                       (180, 180, "ROTATE_180")])
def test_rotation_flag_is_applied_and_reported(tiny_clip, ffmpeg, tmp_path, ccw, cw_turn, rotate_code):
    import cv2

    flagged = tmp_path / f"flag{ccw}.mp4"
    ffmpeg("-display_rotation", ccw, "-i", tiny_clip, "-c", "copy", flagged)  # same stream, new flag
    info = video.probe(flagged)
    assert info.rotation == cw_turn
    if cw_turn in (90, 270):
        assert (info.width, info.height) == (TINY_SIZE[1], TINY_SIZE[0])  # portrait: upright
    else:
        assert (info.width, info.height) == TINY_SIZE
    plain = [f.image for f in video.frames(tiny_clip, stop=5)]
    turned = list(video.frames(flagged, stop=5))
    assert [f.image.shape[:2] for f in turned] == [(info.height, info.width)] * 5
    for original, frame in zip(plain, turned):
        assert np.array_equal(frame.image, cv2.rotate(original, getattr(cv2, rotate_code)))
    np.testing.assert_allclose([f.time_s for f in turned], np.arange(5) / TINY_FPS, atol=1e-3)


def test_portrait_phone_clip_with_rotation_flag_comes_out_upright(ffmpeg, tmp_path):
    # A phone stores a portrait clip as landscape pixels plus "rotate 90° clockwise".
    import cv2

    upright = [cv2.resize(tiny_frame(i), (96, 160)) for i in range(10)]  # portrait content
    stored = write_clip(tmp_path / "stored.mp4", (cv2.rotate(im, cv2.ROTATE_90_COUNTERCLOCKWISE) for im in upright), 30)
    phone = tmp_path / "phone.mp4"
    ffmpeg("-display_rotation", -90, "-i", stored, "-c", "copy", phone)
    info = video.probe(phone)
    assert info.height > info.width and info.rotation == 90
    frame = next(iter(video.frames(phone)))
    assert frame.image.shape[0] > frame.image.shape[1]
    red = np.argwhere((frame.image[:, :, 2] > 200) & (frame.image[:, :, 0] < 80))
    assert red[:, 0].mean() < 40 and red[:, 1].mean() < 30  # the red block is back at the top left


def test_truncated_clip_stops_early_without_error(tiny_clip, ffmpeg, tmp_path):
    # noisy frames, so that frame data (not the header) makes up most of the file
    noise = np.random.default_rng(0).integers(0, 40, (TINY_SIZE[1], TINY_SIZE[0], 3), dtype=np.uint8)
    source = write_clip(tmp_path / "noisy.mp4", (tiny_frame(i) // 2 + noise for i in range(TINY_FRAMES)), TINY_FPS)
    whole = tmp_path / "whole.mp4"
    ffmpeg("-i", source, "-c:v", "libx264", "-pix_fmt", "yuv420p", "-g", "5", "-movflags", "+faststart", whole)
    data = whole.read_bytes()
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(data[: len(data) * 2 // 3])
    frames = list(video.frames(cut))
    print("frames before the cut:", len(frames))
    assert 0 < len(frames) < TINY_FRAMES
    assert [f.index for f in frames] == list(range(len(frames)))


def test_missing_folder_empty_and_junk_inputs(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        video.probe(tmp_path / "nope.mp4")
    with pytest.raises(InputError, match="folder"):
        video.probe(tmp_path)
    empty = tmp_path / "empty.mp4"
    empty.write_bytes(b"")
    with pytest.raises(NotAnalysableError, match="empty"):
        video.probe(empty)
    junk = tmp_path / "junk.mp4"
    junk.write_text("this is not a video\n" * 50)
    with pytest.raises(NotAnalysableError) as caught:
        video.probe(junk)
    assert str(junk) in caught.value.message
    with pytest.raises(NotAnalysableError):
        list(video.frames(junk))

