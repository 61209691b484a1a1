"""Run `gaitcheck analyze` in a fresh interpreter and say whether it loaded the pose model."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def analyze_loads_mediapipe(source: Path, report: Path) -> bool:
    """`gaitcheck analyze SOURCE --json REPORT -q` in a new process; whether mediapipe got imported.

    A fresh interpreter, because the test process has long imported mediapipe itself."""
    code = (
        "import sys, json\n"
        "from gaitcheck.cli import cli\n"
        f"cli.main(['analyze', {str(source)!r}, '--json', {str(report)!r}, '-q'], standalone_mode=False)\n"
        "print(json.dumps({'mediapipe': 'mediapipe' in sys.modules}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])["mediapipe"]
