"""Workflow conditions in a small readable form: ``amount > 100 and status == "APPROVED"``.

Grammar (``or`` binds loosest)::

    expr       := and ("or" and)*
    and        := unary ("and" unary)*
    unary      := "not" unary | atom
    atom       := "(" expr ")" | "exists(" path ")" | path [op (literal | path)]
    op         := "==" | "!=" | "<" | "<=" | ">" | ">="
    literal    := number | "string" | 'string' | true | false | null
    path       := name ("." name | "[" digits "]")*

A bare path means "is true". Paths name fields of the workflow's state (``order.total``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<number>-?\d+(?:\.\d+)?)
      | (?P<string>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
      | (?P<op>==|!=|<=|>=|<|>)
      | (?P<punct>[()])
      | (?P<path>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*|\[\d+\])*)
    )""",
    re.VERBOSE,
)
KEYWORDS = frozenset(("and", "or", "not", "true", "false", "null", "exists"))
Literal_ = str | int | float | bool | None


@dataclass(frozen=True)
class Path:
    text: str


@dataclass(frozen=True)
class Compare:
    left: Path
    op: str
    right: Literal_ | Path


@dataclass(frozen=True)
class Exists:
    path: Path


@dataclass(frozen=True)
class Truthy:
    path: Path


@dataclass(frozen=True)
class Not:
    operand: Condition


@dataclass(frozen=True)
class And:
    operands: tuple[Condition, ...]


@dataclass(frozen=True)
class Or:
    operands: tuple[Condition, ...]


Condition = Compare | Exists | Truthy | Not | And | Or


class ConditionError(ValueError):
    """A condition that cannot be read."""


def _tokenize(text: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _TOKEN.match(text, pos)
        if not m:
            raise ConditionError(f"unexpected {text[pos:].strip()[:20]!r} at character {pos + 1}")
        kind = m.lastgroup or ""
        value = m.group(kind)
        if kind == "path" and value in KEYWORDS:
            kind = value
        tokens.append((kind, value))
        pos = m.end()
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokenize(text)
        self.pos = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self, kind: str) -> str:
        token = self.peek()
        if token is None or token[0] != kind:
            found = "the end" if token is None else repr(token[1])
            raise ConditionError(f"expected {kind} but found {found}")
        self.pos += 1
        return token[1]

    def at(self, kind: str) -> bool:
        token = self.peek()
        return token is not None and token[0] == kind

    def expr(self) -> Condition:
        operands = [self.conjunction()]
        while self.at("or"):
            self.take("or")
            operands.append(self.conjunction())
        return operands[0] if len(operands) == 1 else Or(tuple(operands))

    def conjunction(self) -> Condition:
        operands = [self.unary()]
        while self.at("and"):
            self.take("and")
            operands.append(self.unary())
        return operands[0] if len(operands) == 1 else And(tuple(operands))

    def unary(self) -> Condition:
        if self.at("not"):
            self.take("not")
            return Not(self.unary())
        return self.atom()

    def atom(self) -> Condition:
        if self.at("punct") and self.tokens[self.pos][1] == "(":
            self.pos += 1
            inner = self.expr()
            self.closing()
            return inner
        if self.at("exists"):
            self.take("exists")
            if not (self.at("punct") and self.tokens[self.pos][1] == "("):
                raise ConditionError("write exists(field)")
            self.pos += 1
            path = Path(self.take("path"))
            self.closing()
            return Exists(path)
        left = Path(self.take("path"))
        if not self.at("op"):
            return Truthy(left)
        op = self.take("op")
        return Compare(left, op, self.operand())

    def closing(self) -> None:
        if not (self.at("punct") and self.tokens[self.pos][1] == ")"):
            raise ConditionError("missing ')'")
        self.pos += 1

    def operand(self) -> Literal_ | Path:
        token = self.peek()
        if token is None:
            raise ConditionError("a comparison needs a value on its right")
        kind, value = token
        self.pos += 1
        if kind == "number":
            return float(value) if "." in value else int(value)
        if kind == "string":
            return re.sub(r"\\(.)", r"\1", value[1:-1])
        if kind in ("true", "false"):
            return kind == "true"
        if kind == "null":
            return None
        if kind == "path":
            return Path(value)
        raise ConditionError(f"expected a value but found {value!r}")


def parse_condition(text: str) -> Condition:
    """Parse a condition; raises ConditionError with a plain message when it cannot."""
    parser = _Parser(text)
    if not parser.tokens:
        raise ConditionError("the condition is empty")
    result = parser.expr()
    if parser.peek() is not None:
        raise ConditionError(f"unexpected {parser.peek()[1]!r} after the condition")  # type: ignore[index]
    for compare in _compares(result):
        if compare.op in ("<", "<=", ">", ">=") and isinstance(compare.right, (bool, type(None))):
            raise ConditionError(f"'{compare.op}' cannot compare with {compare.right!r}")
    return result


def _compares(cond: Condition) -> list[Compare]:
    if isinstance(cond, Compare):
        return [cond]
    if isinstance(cond, Not):
        return _compares(cond.operand)
    if isinstance(cond, (And, Or)):
        return [c for operand in cond.operands for c in _compares(operand)]
    return []


def condition_paths(cond: Condition) -> list[str]:
    """Every state path a condition reads, in order of appearance."""
    if isinstance(cond, Compare):
        right = [cond.right.text] if isinstance(cond.right, Path) else []
        return [cond.left.text, *right]
    if isinstance(cond, (Exists, Truthy)):
        return [cond.path.text]
    if isinstance(cond, Not):
        return condition_paths(cond.operand)
    return [p for operand in cond.operands for p in condition_paths(operand)]
