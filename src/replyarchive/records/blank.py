"""Empty objects with a frozen record class's slots, for building records fast from trusted rows."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any


def blank_maker(cls: type) -> Callable[[], Any]:
    """A maker of empty objects of a plain class with ``cls``'s slots: ``from_row`` sets each
    slot by plain assignment, then makes the object a ``cls`` (``obj.__class__ = cls``, allowed
    between classes of the same slots). A frozen dataclass's ``__init__`` sets every field
    through ``object.__setattr__``, some four times slower, for each of the 170,000 sections a
    rebuild reads back from the cache at 10,000 letters. ``from_row`` must set every slot: one
    left unset would make reading the field an AttributeError (the tests compare rows)."""
    twin = type(f"_Blank{cls.__name__}", (), {"__slots__": vars(cls)["__slots__"]})
    return functools.partial(object.__new__, twin)
