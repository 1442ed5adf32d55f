"""Decks: drawing sentence templates without repeats."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable

Render = Callable[[str], str]
"""Fills a template's slots."""


class Deck:
    """Hands out templates without repeats, earlier tiers first; starts over once all are used."""

    def __init__(self, rng: random.Random, *tiers: Iterable[str]):
        self._rng = rng
        self._tiers = [list(tier) for tier in tiers]
        self._left: list[str] = []
        self._ensure_some_left()

    @property
    def unused(self) -> int:
        return len(self._left)

    def _ensure_some_left(self) -> None:
        if self._left:
            return
        for tier in reversed(self._tiers):  # drawn from the end, so the first tier comes out first
            shuffled = tier[:]
            self._rng.shuffle(shuffled)
            self._left += shuffled

    def pick(self, render: Render, fits: Callable[[str], bool] = lambda text: True) -> str | None:
        """The first unused template whose rendering `fits`, rendered; None if none does."""
        self._ensure_some_left()
        for position in range(len(self._left) - 1, -1, -1):
            text = render(self._left[position])
            if fits(text):
                del self._left[position]
                return text
        return None

    def best(self, render: Render, score: Callable[[str], int]) -> str:
        """The unused template whose rendering scores lowest, rendered."""
        self._ensure_some_left()
        rendered = [render(template) for template in self._left]
        position = min(range(len(rendered)), key=lambda i: score(rendered[i]))
        del self._left[position]
        return rendered[position]
