"""Extraction noise, as PDF export and copy-paste add it, for duplicate tests."""

from __future__ import annotations

import random

_WIDTH = str.maketrans({"，": ",", "：": ":", "（": "(", "）": ")", "；": ";"})


def add_noise(text: str, seed: int = 0, deletions: int = 3) -> str:
    """The same letter re-extracted: spaces, moved page breaks, half-width marks, lost chars."""
    rng = random.Random(seed)
    chars = list(text.translate(_WIDTH) if rng.random() < 0.5 else text)
    for _ in range(len(chars) // 200):
        pos = rng.randrange(1, len(chars))
        chars.insert(pos, rng.choice([" ", "\n\n", " "]))
    for _ in range(deletions):
        del chars[rng.randrange(len(chars))]
    return "".join(chars)
