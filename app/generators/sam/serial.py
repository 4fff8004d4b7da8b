"""Block YAML for the export's template, written directly: fast, and without anchors.

PyYAML's general representer checks every object for aliases and dispatches on its type, then
its emitter asks the resolver twice per scalar; for a large design's template that was a third
of the export's time, and shared sub-dicts came out as ``&id001`` anchors. The template is plain
data (dicts, lists, strings, numbers, booleans), so this writes it in PyYAML's block layout
itself: a string is plain when the YAML 1.1 resolver reads it back as that same string and it
has no indicator that could change its meaning, a literal block when it is multi-line text,
else double-quoted with escapes. A test loads the result back and compares it with the data.
"""

from __future__ import annotations

import math
import re
from typing import Any

from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

from app.generators.output import yaml_text

_STR = "tag:yaml.org,2002:str"
_PLAIN = re.compile(r"[A-Za-z0-9_$/(.][A-Za-z0-9_ ./$(){}*,@+=:-]*\Z")
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}
_NEEDS_ESCAPE = re.compile(r'["\\\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff]')
_MAX_KEY = 1000
"""Longer implicit keys are not YAML; such a document goes through PyYAML instead."""


class _Unusual(Exception):
    """Data this writer leaves to PyYAML (non-string keys, very long keys, other types)."""


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return _ESCAPES.get(char) or f"\\u{ord(char):04x}"


class _Writer:
    def __init__(self) -> None:
        self.resolver = Resolver()
        self.scalars: dict[str, str] = {}
        self.lines: list[str] = []

    def string(self, text: str) -> str:
        found = self.scalars.get(text)
        if found is None:
            found = self.scalars[text] = self._string(text)
        return found

    def _string(self, text: str) -> str:
        if (
            _PLAIN.match(text)
            and ": " not in text
            and not text.endswith((" ", ":"))
            and self.resolver.resolve(ScalarNode, text, (True, False)) == _STR
        ):
            return text
        return '"' + _NEEDS_ESCAPE.sub(_escape, text) + '"'

    def literal(self, text: str, indent: str) -> str | None:
        """``|`` or ``|-`` block for multi-line text that reads back exactly, else None."""
        body = text[:-1] if text.endswith("\n") else text
        if (
            "\n" not in body
            or body.endswith("\n")
            or body.startswith((" ", "\n"))
            or _NEEDS_ESCAPE.sub("", body.replace("\n", "")) != body.replace("\n", "")
            or any(line.endswith(" ") for line in body.split("\n"))
        ):
            return None
        head = "|" if text.endswith("\n") else "|-"
        inner = indent + "  "
        return head + "".join(f"\n{inner}{line}" if line else "\n" for line in body.split("\n"))

    def scalar(self, value: Any, indent: str) -> str:
        kind = type(value)
        if kind is str:
            return self.literal(value, indent) or self.string(value)
        if kind is bool:
            return "true" if value else "false"
        if kind is int:
            return str(value)
        if kind is float:
            if not math.isfinite(value):
                raise _Unusual
            text = repr(value).lower()
            return text.replace("e", ".0e", 1) if "." not in text and "e" in text else text
        if value is None:
            return "null"
        raise _Unusual

    def key(self, key: Any) -> str:
        if type(key) is not str or len(key) > _MAX_KEY:
            raise _Unusual
        return self.string(key)

    def mapping(self, data: dict[Any, Any], indent: str, first: str) -> None:
        """Write a non-empty mapping; its first line starts with ``first`` instead of the
        indent (a list item's ``- ``)."""
        lead = first
        for key, value in data.items():
            head = f"{lead}{self.key(key)}:"
            lead = indent
            self.value(value, indent, head, nested_list_indent=indent)

    def sequence(self, data: list[Any], indent: str, first: str) -> None:
        lead = first
        for item in data:
            self.value(item, indent + "  ", lead + "-", nested_list_indent=None)
            lead = indent

    def value(self, value: Any, indent: str, head: str, nested_list_indent: str | None) -> None:
        """``head`` (a key with its colon, or a dash) followed by ``value``. In a mapping a
        list sits at the key's indent (PyYAML's indentless sequence); in a list it nests."""
        kind = type(value)
        if kind is dict and value:
            if nested_list_indent is None:  # list item: the mapping starts on the dash's line
                self.mapping(value, indent, head + " ")
            else:
                self.lines.append(head)
                self.mapping(value, indent + "  ", indent + "  ")
        elif kind is list and value:
            if nested_list_indent is None:
                self.sequence(value, indent, head + " ")
            else:
                self.lines.append(head)
                self.sequence(value, nested_list_indent, nested_list_indent)
        elif kind is dict:
            self.lines.append(head + " {}")
        elif kind is list:
            self.lines.append(head + " []")
        else:
            self.lines.append(f"{head} {self.scalar(value, indent)}")


def plain_yaml(data: dict[str, Any]) -> str:
    """Block-style YAML of a plain-data mapping, keys in the order given, Unicode kept."""
    if not isinstance(data, dict) or not data:
        return yaml_text(data)
    writer = _Writer()
    try:
        writer.mapping(data, "", "")
    except _Unusual:
        return yaml_text(data)
    return "\n".join(writer.lines) + "\n"
