#!/usr/bin/env bash
# Rebuild models/pose_landmarker_full.task from the pinned mediapipe 0.10.21 wheel in a throwaway
# venv (that wheel pins numpy<2 and an old protobuf, which must not touch the project's venv).
# Usage: bash models/build_pose_model.sh [OUT.task]   (default: models/pose_landmarker_full.task)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$here/pose_landmarker_full.task}"
venv="$(mktemp -d)"
trap 'rm -rf "$venv"' EXIT
python3.11 -m venv "$venv" 2>/dev/null || python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check --only-binary=:all: "mediapipe==0.10.21"
"$venv/bin/python" "$here/build_pose_model.py" "$out"
