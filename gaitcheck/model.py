"""Find the bundled pose model: no configuration, no download, ever."""
from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from gaitcheck.errors import InputError

MODEL_NAME = "pose_landmarker_full.task"
ENV_VAR = "GAITCHECK_MODEL"


def find_model(path: str | Path | None = None) -> Path:
    """Return the pose model to use: `path` if given, else $GAITCHECK_MODEL, else the bundled one.

    The bundled model sits in `gaitcheck/models/` inside an installed wheel and in `models/`
    at the top of a source checkout (an editable install finds it there).
    """
    chosen = path or os.environ.get(ENV_VAR)
    if chosen:
        model = Path(chosen)
        if not model.is_file():
            raise InputError(model, "pose model not found (from --model or $GAITCHECK_MODEL)")
        return model
    candidates = [
        Path(str(resources.files("gaitcheck"))) / "models" / MODEL_NAME,
        Path(__file__).resolve().parent.parent / "models" / MODEL_NAME,
    ]
    for model in candidates:
        if model.is_file():
            return model
    raise InputError(candidates[-1], "bundled pose model is missing; reinstall gaitcheck or pass --model PATH")
