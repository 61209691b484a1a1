"""Rebuild models/pose_landmarker_full.task, byte for byte, from the pinned mediapipe wheel.

mediapipe 1.x ships no model file and its docs point at a download, which this project never
does at run time. The legacy wheel mediapipe==0.10.21 carries the two Apache-2.0 TFLite models
a Pose Landmarker needs. The Tasks API wants each with TFLite metadata that declares an RGB
image input and its normalisation, so this script adds that metadata (with 0.10.21's own
metadata writer; 1.x cannot import its writer) and packs both into an uncompressed zip with
fixed timestamps: the same wheel always gives the same bytes.

Run `bash models/build_pose_model.sh` (it makes a throwaway venv with the pinned wheel), or,
inside such a venv: `python models/build_pose_model.py OUT.task`.
"""
from __future__ import annotations

import hashlib
import io
import sys
import zipfile
from pathlib import Path

import mediapipe
from mediapipe.tasks.python.metadata.metadata_writers import metadata_writer, writer_utils

WHEEL_VERSION = "0.10.21"
SOURCES = {
    # name inside the .task bundle: (file inside the wheel, sha256, norm mean, norm std, description)
    "pose_detector.tflite": (
        "modules/pose_detection/pose_detection.tflite",
        "9ba9dd3d42efaaba86b4ff0122b06f29c4122e756b329d89dca1e297fd8f866c",
        127.5, 127.5, "BlazePose person detector: RGB 224x224 input scaled to [-1, 1].",
    ),
    "pose_landmarks_detector.tflite": (
        "modules/pose_landmark/pose_landmark_full.tflite",
        "e9a5c5cb17f736fafd4c2ec1da3b3d331d6edbe8a0d32395855aeb2cdfd64b9f",
        0.0, 255.0, "BlazePose GHUM 3D full landmark model: RGB 256x256 input scaled to [0, 1].",
    ),
}
FIXED_TIME = (2020, 1, 1, 0, 0, 0)
ALIGN = 64  # members start on this boundary so TFLite can map their buffers without copying


def with_metadata(model: bytes, name: str, mean: float, std: float, description: str) -> bytes:
    """Return the TFLite model with image-input metadata (RGB, normalisation) attached."""
    writer = metadata_writer.MetadataWriter.create(bytearray(model))
    writer.add_general_info(name, description)
    writer.add_image_input(norm_mean=[mean], norm_std=[std])
    for _ in writer_utils.get_output_tensor_types(bytearray(model)):
        writer.add_feature_output()
    content, _ = writer.populate()
    return bytes(content)


def _padding(header_offset: int, member: str) -> bytes:
    """An extra field that pads the member's data to start on an ALIGN boundary (as zipalign)."""
    data_offset = header_offset + 30 + len(member.encode()) + 4  # 4: the extra field's own header
    pad = -data_offset % ALIGN
    return b"\xff\xff" + pad.to_bytes(2, "little") + b"\0" * pad


def build() -> bytes:
    """Return the bytes of the .task bundle."""
    if mediapipe.__version__ != WHEEL_VERSION:
        sys.exit(f"needs mediapipe=={WHEEL_VERSION}, found {mediapipe.__version__}")
    root = Path(mediapipe.__file__).parent
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as bundle:
        for member, (path, sha, mean, std, description) in SOURCES.items():
            model = (root / path).read_bytes()
            found = hashlib.sha256(model).hexdigest()
            if found != sha:
                sys.exit(f"{path}: sha256 {found}, expected {sha}")
            info = zipfile.ZipInfo(member, date_time=FIXED_TIME)
            info.external_attr = 0o644 << 16
            info.extra = _padding(buffer.tell(), member)
            bundle.writestr(info, with_metadata(model, Path(member).stem, mean, std, description))
    return buffer.getvalue()


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).with_name("pose_landmarker_full.task"))
    data = build()
    tmp = out.with_suffix(out.suffix + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(out)
    print(f"{out}  {len(data)} bytes  sha256 {hashlib.sha256(data).hexdigest()}")


if __name__ == "__main__":
    main()
