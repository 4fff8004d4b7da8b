"""Readable, stable, unique state names for a state machine, made safe from any display name."""

from __future__ import annotations

import re
import unicodedata

MAX_STATE_NAME = 80
_KEPT_PUNCTUATION = frozenset(" -_.?!()'+#&@")
_PLAIN = re.compile(r"[A-Za-z0-9 \-_.?!()'+#&@]*")


def safe_state_name(text: str) -> str:
    """A display name reduced to letters, digits, spaces and harmless punctuation.

    Control and format characters, quotes, brackets, ``$`` and path or markup characters become
    spaces, so a hostile name can neither break the JSON nor be read as a path or markup by a
    tool that shows it.
    """
    if _PLAIN.fullmatch(text):
        return " ".join(text.split())
    kept = []
    for ch in unicodedata.normalize("NFC", text):
        category = unicodedata.category(ch)
        if ch.isalnum() or ch in _KEPT_PUNCTUATION or category.startswith(("L", "N", "M")):
            kept.append(ch)
        else:
            kept.append(" ")
    return " ".join("".join(kept).split())


class StateNames:
    """Hands out state names unique across one state machine (ASL requires it), in call order.

    A name that is taken gets `` (2)``, `` (3)``, …; long names are cut to fit 80 characters
    with their suffix. The same calls in the same order give the same names.
    """

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def claim(self, wanted: str, fallback: str) -> str:
        base = safe_state_name(wanted) or fallback
        for n in range(1, 10_000):
            suffix = "" if n == 1 else f" ({n})"
            name = base[: MAX_STATE_NAME - len(suffix)].rstrip() + suffix
            if name.casefold() not in self.taken:
                self.taken.add(name.casefold())
                return name
        raise AssertionError("ran out of state names")  # 10 000 states exceed ASL limits anyway
