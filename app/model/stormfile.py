"""The storm file: the design's canonical YAML text form — safe loading, canonical dumping.

Loading is safe only (no Python objects, no tags), refuses files over a size limit, nesting
past a depth limit and alias expansions past a node budget (alias bombs), reads booleans as
YAML 1.2 does (only ``true``/``false``), keeps dates as text, refuses duplicate keys, and
remembers the line and column of every value so that each problem names where it is. Files of
an older format are upgraded step by step before validation, so that a later change of a
default never silently changes an old design.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import yaml

from app.model.errors import DesignError, Loc, Problem, format_loc

FORMAT_VERSION = 1
MAX_BYTES = 5 * 1024 * 1024
MAX_NODES = 200_000
MAX_DEPTH = 200  # below libyaml's own limit, so our message is the one people see
"""Deepest nesting read: libyaml composes recursively in C, so a small file nested some 50,000
levels deep would crash the process instead of raising an error."""
Marks = dict[Loc, tuple[int, int]]

UPGRADERS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}
"""Upgrade functions: ``UPGRADERS[n]`` turns a format-``n`` document into format ``n + 1``,
writing out explicitly every default that changed between the two."""

_PLAIN_TAGS = frozenset(("tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"))
_BASE_LOADER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_BASE_DUMPER: type = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Loader(_BASE_LOADER):  # type: ignore[misc,valid-type]
    """Safe loader with YAML 1.2 booleans and no implicit timestamps."""


_Loader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


_STR = "tag:yaml.org,2002:str"


class _Builder:
    """Turns a composed YAML node tree into plain data, recording each value's position."""

    def __init__(self, loader: Any) -> None:
        self.loader = loader
        self.marks: Marks = {}
        self.problems: list[tuple[Loc, str, int, int]] = []

    def build(self, node: yaml.Node, loc: Loc, active: frozenset[int]) -> Any:
        self.marks[loc] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if id(node) in active:
            raise DesignError.one(_dotted(loc), "a recursive alias is not allowed")
        if isinstance(node, yaml.ScalarNode):
            if node.tag == _STR:  # most values: skip the constructor's bookkeeping
                return node.value
            return self.loader.construct_object(node)
        if node.tag not in _PLAIN_TAGS:
            # Scalars with a strange tag are refused by the constructor; lists and mappings are
            # built here, where a tag such as !!python/object/apply would be silently dropped.
            self._problem(node, loc, f"the tag '{node.tag}' is not allowed; write plain values")
        inner = active | {id(node)}
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*loc, i), inner) for i, item in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            result: dict[str, Any] = {}
            key_lines: dict[str, int] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise DesignError.one(_dotted(loc), "merge keys ('<<') are not supported")
                key = (
                    self.loader.construct_object(key_node)
                    if isinstance(key_node, yaml.ScalarNode)
                    else None
                )
                if not isinstance(key, (str, int)) or isinstance(key, bool):
                    self._problem(key_node, loc, "keys must be text")
                    continue
                key = str(key)
                if key in key_lines:
                    first = f"first on line {key_lines[key]}"
                    self._problem(key_node, (*loc, key), f"the key '{key}' appears twice ({first})")
                    continue
                key_lines[key] = key_node.start_mark.line + 1
                result[key] = self.build(value_node, (*loc, key), inner)
                if not isinstance(value_node, yaml.ScalarNode):
                    # A block value starts on the line after its key: point at the key instead.
                    mark = key_node.start_mark
                    self.marks[(*loc, key)] = (mark.line + 1, mark.column + 1)
            return result
        raise DesignError.one(_dotted(loc), "unsupported YAML node")

    def _problem(self, node: yaml.Node, loc: Loc, message: str) -> None:
        self.problems.append((loc, message, node.start_mark.line + 1, node.start_mark.column + 1))


def _expanded_size(node: yaml.Node, memo: dict[int, int], active: frozenset[int]) -> int:
    """How many values the node tree expands to, counting each alias in full."""
    key = id(node)
    if key in memo:
        return memo[key]
    if key in active:
        return MAX_NODES + 1
    if isinstance(node, yaml.SequenceNode):
        children = node.value
    elif isinstance(node, yaml.MappingNode):
        children = [n for pair in node.value for n in pair]
    else:
        children = []
    inner = active | {key}
    total = 1
    for child in children:
        total += _expanded_size(child, memo, inner)
        if total > MAX_NODES:
            break
    memo[key] = total
    return total


def _check_depth(text: str) -> None:
    """Refuse nesting deeper than MAX_DEPTH before libyaml composes (and recurses over) it."""
    # Each level of nesting takes a bracket or a deeper column: a cheap bound that rules out
    # almost every file before the exact check, which reads the events (a loop, no recursion).
    widest = max(map(len, text.splitlines()), default=0)
    if text.count("[") + text.count("{") + widest <= MAX_DEPTH:
        return
    loader = _Loader(text)
    try:
        depth = 0
        while (event := loader.get_event()) is not None:
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    message = f"the file nests more than {MAX_DEPTH:,} levels deep"
                    where = (mark.line + 1, mark.column + 1) if mark else (None, None)
                    raise DesignError([Problem("", message, *where)])
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        if "nesting depth" not in str(exc.problem):
            raise
        # libyaml's scanner reads ahead and may meet its own limit first: say it our way.
        mark = exc.problem_mark
        where = (mark.line + 1, mark.column + 1) if mark else (None, None)
        message = f"the file nests more than {MAX_DEPTH:,} levels deep"
        raise DesignError([Problem("", message, *where)]) from None
    finally:
        loader.dispose()


def _dotted(loc: Loc) -> str:
    return ".".join(f"[{k}]" if isinstance(k, int) else k for k in loc).replace(".[", "[")


def parse_yaml(text: str | bytes, *, max_bytes: int = MAX_BYTES) -> tuple[Any, Marks]:
    """Parse storm-file text into plain data and the position of every value."""
    size = len(text.encode("utf-8") if isinstance(text, str) else text)
    if size > max_bytes:
        raise DesignError.one("", f"the file is {size:,} bytes; the limit is {max_bytes:,}")
    if isinstance(text, bytes):
        raw = text
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            where = (
                raw.count(b"\n", 0, exc.start) + 1,
                exc.start - raw.rfind(b"\n", 0, exc.start),
            )
            message = f"the file is not UTF-8 text (byte {exc.start}); save it as UTF-8"
            raise DesignError([Problem("", message, *where)]) from None
    loader = _Loader(text)
    try:
        _check_depth(text)
        node = loader.get_single_node()
        if node is None:
            raise DesignError.one("", "the file is empty")
        if _expanded_size(node, {}, frozenset()) > MAX_NODES:
            raise DesignError.one(
                "", f"the file expands to more than {MAX_NODES:,} values (alias bomb?); refused"
            )
        builder = _Builder(loader)
        data = builder.build(node, (), frozenset())
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        reason = exc.problem or exc.context or "unreadable YAML"
        raise DesignError([Problem("", f"not valid YAML: {reason}", line, column)]) from None
    except yaml.YAMLError as exc:
        raise DesignError.one("", f"not valid YAML: {exc}") from None
    except RecursionError:
        raise DesignError.one("", "the file nests too deeply") from None
    finally:
        loader.dispose()
    if builder.problems:
        raise DesignError(
            Problem(format_loc(loc, data), message, at_line, at_column)
            for loc, message, at_line, at_column in builder.problems
        )
    if not isinstance(data, dict):
        raise DesignError.one("", "a storm file is a mapping with at least 'name' and 'contexts'")
    return data, builder.marks


def upgrade(data: dict[str, Any]) -> dict[str, Any]:
    """Bring a storm document of any known format up to the current one."""
    version = data.get("format", 1)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise DesignError.one("format", f"unknown format {version!r}; expected {FORMAT_VERSION}")
    if version > FORMAT_VERSION:
        raise DesignError.one(
            "format",
            f"this file uses format {version}, written by a newer Stormdraft; "
            f"this one reads formats up to {FORMAT_VERSION}",
        )
    while version < FORMAT_VERSION:
        data = UPGRADERS[version](data)
        version += 1
        data["format"] = version
    return data


def dump_yaml(data: Any) -> str:
    """Dump plain data as block-style YAML, keys in the order given, Unicode kept."""
    text: str = yaml.dump(
        data,
        Dumper=_BASE_DUMPER,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )
    return text
