"""Label text: wrapping to readable lines, and escaping for DOT's HTML-like labels and strings."""

from __future__ import annotations

import unicodedata

LINE_WIDTH = 26
"""Label lines wrap at this many columns (East Asian wide characters count twice)."""
MAX_LINES = 4
EDGE_LINE_WIDTH = 30
DETAIL_WIDTH = 40
"""The small second line of a node (route, key templates, schedule) wraps here."""
DETAIL_LINES = 3


def columns(text: str) -> int:
    """Display width of a text in columns (wide East Asian characters take two)."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def wrap(text: str, width: int = LINE_WIDTH, max_lines: int = MAX_LINES) -> list[str]:
    """Break a label into lines of at most ``width`` columns; cut with an ellipsis when long."""
    words = " ".join(text.split()).split(" ")
    lines: list[str] = []
    line = ""
    for word in words:
        while columns(word) > width:  # a word longer than a line is cut where it overflows
            room = width - columns(line) - (1 if line else 0)
            if room < 4:
                lines.append(line)
                line, room = "", width
            head, word = _take_columns(word, room)
            lines.append(f"{line} {head}" if line else head)
            line = ""
        candidate = f"{line} {word}" if line else word
        if columns(candidate) <= width:
            line = candidate
        else:
            lines.append(line)
            line = word
    if line or not lines:
        lines.append(line)
    lines = [ln for ln in lines if ln] or [""]
    if len(lines) > max_lines:
        last, _ = _take_columns(lines[max_lines - 1], width - 1)
        lines = [*lines[: max_lines - 1], last + "…"]
    return lines


def _take_columns(text: str, width: int) -> tuple[str, str]:
    taken = 0
    for i, ch in enumerate(text):
        taken += columns(ch)
        if taken > width:
            return text[:i], text[i:]
    return text, ""


def html_text(text: str) -> str:
    """Escape text for a Graphviz HTML-like label (every markup character becomes an entity)."""
    out = []
    for ch in text:
        if ch == "\\":  # Graphviz expands \N, \G… even here; a doubled backslash stays one
            out.append("\\\\")
        elif ch in "&<>\"'[]{}|":
            out.append(f"&#{ord(ch)};")
        elif ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0:
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def quoted(text: str) -> str:
    """A DOT quoted string whose content stays text.

    No backslash is ever written: Graphviz's lexer reads ``\\"`` as an escaped quote however
    many backslashes precede it, and expands ``\\N``/``\\G`` after that, so a backslash in a
    name becomes the look-alike U+29F5; quotes are escaped, line breaks become spaces.
    """
    clean = "".join(" " if ord(ch) < 32 else ch for ch in text).replace("\\", "\u29f5")
    return '"' + clean.replace('"', '\\"') + '"'
