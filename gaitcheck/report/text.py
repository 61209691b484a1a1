"""Numbers as the reports print them."""
from __future__ import annotations

import math


def number(value: float | None, digits: int = 1) -> str:
    """A value to `digits` decimals; empty for a missing or non-finite value."""
    return "" if value is None or not math.isfinite(value) else f"{value:.{digits}f}"


def measured(value: float | None, uncertainty: float | None = None, digits: int = 1) -> str:
    """A value with its standard error where it has one: "7.5 ± 3.1"."""
    text = number(value, digits)
    if text and uncertainty is not None and math.isfinite(uncertainty):
        text += f" ± {uncertainty:.{digits}f}"
    return text
