"""What the walker and the room look like: skin, clothes, hair, scenery colours, image noise.

Drawn from a seeded generator so every clip looks different yet reproducible, and nothing
downstream gets tuned to one look. Colours are BGR (OpenCV order).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def _bgr(rgb: tuple[int, int, int]) -> tuple[int, int, int]:
    return (rgb[2], rgb[1], rgb[0])


SKIN = [(255, 224, 196), (241, 194, 125), (224, 172, 105), (198, 134, 66), (141, 85, 36),
        (92, 56, 36), (232, 190, 172)]
SHIRT = [(40, 80, 160), (180, 40, 40), (40, 120, 60), (225, 225, 225), (35, 35, 40),
         (200, 160, 40), (120, 60, 140), (95, 95, 100), (235, 135, 40), (60, 160, 170)]
LEGWEAR = [(30, 45, 85), (50, 50, 55), (125, 105, 75), (22, 22, 25), (70, 90, 120), (160, 150, 130)]
SHOES = [(20, 20, 20), (235, 235, 235), (115, 60, 30), (60, 60, 120), (150, 30, 30)]
HAIR = [(20, 15, 10), (60, 40, 20), (120, 80, 40), (200, 170, 110), (115, 115, 115), (150, 60, 30)]
WALL = [(225, 222, 210), (200, 210, 220), (230, 215, 190), (170, 180, 170), (120, 130, 140),
        (235, 235, 235), (190, 170, 160)]
FLOOR = [(150, 120, 90), (110, 110, 115), (90, 120, 70), (180, 175, 165), (70, 70, 75),
         (160, 140, 110)]
ACCENT = [(90, 60, 40), (60, 90, 140), (150, 50, 50), (70, 120, 90), (230, 200, 80),
          (40, 40, 45), (250, 250, 250)]


@dataclass(frozen=True)
class Look:
    """Colours and clothing cut of one person, BGR."""

    skin: tuple[int, int, int]
    shirt: tuple[int, int, int]
    legwear: tuple[int, int, int]
    shoes: tuple[int, int, int]
    hair: tuple[int, int, int]
    long_sleeves: bool
    shorts: bool
    girth: float = 1.0  # limb and body thickness: slim < 1 < broad


@dataclass(frozen=True)
class Scenery:
    """Room colours and picture degradations."""

    wall: tuple[int, int, int]
    floor: tuple[int, int, int]
    accents: tuple[tuple[int, int, int], ...]
    noise_sigma: float  # grey levels of Gaussian sensor noise
    blur_sigma: float  # pixels of Gaussian blur (0 = sharp)
    exposure: float = 1.0  # overall brightness gain


def _pick(rng: np.random.Generator, options: list) -> tuple[int, int, int]:
    return _bgr(options[int(rng.integers(len(options)))])


MAX_LOOK_TRIES = 500  # draws before settling for the look that stands out best


def _contrast(look: Look, avoid: tuple[tuple[int, int, int], ...]) -> float:
    """How far the look clears its colour limits (>= 0: it stands out enough)."""
    gaps = [np.linalg.norm(np.subtract(part, c)) - 70.0 for c in avoid for part in (look.shirt, look.legwear)]
    gaps.append(np.linalg.norm(np.subtract(look.shirt, look.skin)) - 50.0)
    return float(min(gaps))


def random_look(rng: np.random.Generator, avoid: tuple[tuple[int, int, int], ...] = ()) -> Look:
    """A person whose clothes stand out from the given background colours.

    Some rooms and first walkers leave no legwear far enough from all of them (seed 9220's
    crossing walker looped forever): after MAX_LOOK_TRIES draws the best-contrasting one is used."""
    best, best_contrast = None, -np.inf
    for _ in range(MAX_LOOK_TRIES):
        look = Look(skin=_pick(rng, SKIN), shirt=_pick(rng, SHIRT), legwear=_pick(rng, LEGWEAR),
                    shoes=_pick(rng, SHOES), hair=_pick(rng, HAIR),
                    long_sleeves=bool(rng.random() < 0.4), shorts=bool(rng.random() < 0.25),
                    girth=round(float(rng.uniform(0.85, 1.2)), 3))
        contrast = _contrast(look, avoid)
        if contrast >= 0:
            return look
        if contrast > best_contrast:
            best, best_contrast = look, contrast
    return best


def random_scenery(rng: np.random.Generator, clean: bool = False) -> Scenery:
    """A room; `clean` turns off noise and blur."""
    wall = _pick(rng, WALL)
    floor = _pick(rng, FLOOR)
    accents = tuple(_pick(rng, ACCENT) for _ in range(4))
    noise = 0.0 if clean else float(rng.uniform(0.0, 3.0))
    blur = 0.0 if clean else float(rng.choice([0.0, 0.0, 0.6, 1.0]))
    exposure = 1.0 if clean else round(float(rng.uniform(0.8, 1.12)), 3)
    return Scenery(wall=wall, floor=floor, accents=accents, noise_sigma=noise, blur_sigma=blur,
                   exposure=exposure)
