"""User-caused errors in a design, each located by a path into the design."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

Loc = tuple[str | int, ...]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a design: where it is, and what is wrong, in plain words."""

    path: str
    message: str
    line: int | None = None
    column: int | None = None
    loc: Loc | None = field(default=None, compare=False, repr=False)
    """Where in the raw design data, when known (to find the line in the file)."""

    def __str__(self) -> str:
        where = f"line {self.line}, column {self.column}: " if self.line is not None else ""
        return f"{where}{self.path or '(design)'}: {self.message}"


class DesignError(Exception):
    """A design (or storm file) the user wrote is invalid; carries every problem found."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def one(cls, path: str, message: str) -> DesignError:
        return cls([Problem(path, message)])


def locate(loc: Loc, marks: dict[Loc, tuple[int, int]]) -> tuple[int | None, int | None]:
    """Line and column of ``loc`` in the file, or of its nearest enclosing value."""
    for end in range(len(loc), -1, -1):
        if loc[:end] in marks:
            return marks[loc[:end]]
    return None, None


def format_loc(loc: Sequence[str | int], data: object) -> str:
    """Turn a location in the raw design data into a readable path.

    List items that carry a ``name`` are shown by name (``contexts.Ordering``), others by index
    (``emits[1]``), so ``('contexts', 0, 'commands', 2, 'emits', 1)`` reads
    ``contexts.Ordering.commands.PlaceOrder.emits[1]``.
    """
    parts: list[str] = []
    node: object = data
    for key in loc:
        if isinstance(key, int):
            item = node[key] if isinstance(node, list) and 0 <= key < len(node) else None
            name = item.get("name") if isinstance(item, dict) else None
            if isinstance(name, str) and name:
                parts.append(f".{name}")
            else:
                parts.append(f"[{key}]")
            node = item
        else:
            parts.append(f".{key}")
            node = node.get(key) if isinstance(node, dict) else None
    return "".join(parts).lstrip(".")
