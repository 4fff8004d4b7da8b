"""The storm file: canonical dump ⇄ load round trip, and safe, YAML 1.2 reading."""

from __future__ import annotations

import contextlib
import functools
import operator
import os
import string
import subprocess
import sys
import time
import warnings
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.model import DesignError, dump_design, load_design, parse_design, stormfile, validate
from app.model.elements import Design
from app.model.stormfile import MAX_BYTES, parse_yaml
from app.model.types import SCALARS

REPO = Path(__file__).resolve().parents[2]

# When a property fails, Hypothesis' report imports libcst, which warns on import; with
# `filterwarnings = error` that warning would hide the failure behind an INTERNALERROR.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    with contextlib.suppress(ImportError):
        import hypothesis.extra._patching  # noqa: F401

# --- strategies ---------------------------------------------------------------------------------
# Designs are drawn as plain data, the way a storm file reads, and built with parse_design, so
# every drawn design is structurally valid; references are drawn from the names (or codes) of
# elements that exist, so that many are semantically valid too.

HOSTILE_NAMES = [
    "yes",
    "on",
    "off",
    "no",
    "null",
    "~",
    "true",
    "2024-01-31",
    "2024-01-31T09:00:00Z",
    "1.5",
    "0x1F",
    "1e3",
    ".inf",
    "- item",
    "key: value",
    "#comment",
    "&anchor",
    "*alias",
    "!!python/object:os.system",
    "? complex",
    "%YAML 1.1",
    "'quoted'",
    '"double"',
    "{flow: map}",
    "[flow, seq]",
    "<script>alert(1)</script>",
    "'; DROP TABLE designs; --",
    "{{ 7 * 7 }}",
    "${HOME}",
    "back\\slash",
    "名前",
    "注文を受ける",
    "Bestellung prüfen",
    "Ωmega ünïcödé",
    "emoji 🎉 party",
    "\u202eright-to-left",
    "zero\u200bwidth",
    "non\u00a0breaking",
    "line\u2028separator",
    "byte\ufefforder",
    "x" * 200,
]
PRINTABLE = st.characters(blacklist_categories=("Cc", "Cs"))
names = st.one_of(
    st.sampled_from(HOSTILE_NAMES),
    st.text(PRINTABLE, min_size=1, max_size=12).filter(str.strip),
    st.text(string.ascii_letters + " ", min_size=1, max_size=30).filter(str.strip),
    st.text(PRINTABLE, min_size=150, max_size=200).filter(lambda s: 0 < len(s.strip()) <= 200),
)
descriptions = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\r"), max_size=80
).filter(lambda s: all((ord(c) >= 32 or c in "\t\n") and not 127 <= ord(c) < 160 for c in s))


def _identifiers(first: str, rest: str, max_size: int) -> st.SearchStrategy[str]:
    # Faster than st.from_regex, which dominated the time to draw a design.
    return st.builds(operator.add, st.sampled_from(first), st.text(rest, max_size=max_size))


field_names = _identifiers(string.ascii_letters, string.ascii_letters + string.digits + "_", 20)
codes = _identifiers(string.ascii_letters, string.ascii_letters + string.digits, 20)
enum_values = _identifiers(
    string.ascii_letters + string.digits, string.ascii_letters + string.digits + "_.-", 10
)
examples = st.one_of(
    st.none(),
    st.sampled_from(["yes", "on", "2024-01-31", "null", "~", "1.0"]),
    st.text(PRINTABLE, max_size=20),
    st.integers(-(2**62), 2**62),
    st.booleans(),
    st.floats(allow_nan=False, allow_infinity=False),
)


@functools.cache
def _scalar_type(optional: bool) -> st.SearchStrategy[Any]:
    short = st.sampled_from(sorted(SCALARS)).map(lambda t: t + ("?" if optional else ""))
    enum = st.lists(enum_values, min_size=1, max_size=4, unique=True)
    return st.one_of(
        short,
        enum.map(lambda vs: f"enum({', '.join(vs)})" + ("?" if optional else "")),
        st.builds(
            lambda t, vs, d, ex: {
                "type": t,
                **({"values": vs} if t == "enum" else {}),
                **({"optional": True} if optional else {}),
                **({"description": d} if d else {}),
                **({"example": ex} if ex is not None else {}),
            },
            st.sampled_from([*sorted(SCALARS), "enum"]),
            enum,
            descriptions,
            examples,
        ),
    )


@functools.cache
def field_types(depth: int = 0, item: bool = False) -> st.SearchStrategy[Any]:
    """A field type in short or mapping form; items of lists and maps are never optional."""
    return _field_types(depth, item)


@st.composite
def _field_types(draw: st.DrawFn, depth: int, item: bool) -> Any:
    optional = not item and draw(st.booleans())
    kinds = ["scalar"] if depth >= 2 else ["scalar", "scalar", "list", "map", "object"]
    kind = pick(draw, kinds)
    if kind == "scalar":
        return draw(_scalar_type(optional))
    suffix = "?" if optional else ""
    if kind == "object":
        fields = draw(st.dictionaries(field_names, field_types(depth + 1), min_size=1, max_size=3))
        return {"type": "object", "fields": fields, **({"optional": True} if optional else {})}
    inner = draw(field_types(depth + 1, item=True))
    if isinstance(inner, str) and draw(st.booleans()):
        return f"{kind}<{inner}>{suffix}"
    return {"type": kind, "items": inner, **({"optional": True} if optional else {})}


@functools.cache
def field_maps(max_size: int = 4) -> st.SearchStrategy[dict[str, Any]]:
    return st.dictionaries(field_names, field_types(), max_size=max_size)


workloads = st.fixed_dictionaries(
    {},
    optional={
        "requests_per_month": st.floats(0, 1e9, allow_nan=False),
        "peak_factor": st.floats(1, 1000),
        "duration_ms": st.floats(1, 900_000),
        "memory_mb": st.integers(128, 10_240),
        "latency_sensitive": st.booleans(),
        "overrides": st.fixed_dictionaries(
            {}, optional={"architecture": st.sampled_from(["arm64", "x86_64"])}
        ),
    },
)


class Pools:
    """Names of the elements drawn so far, by kind, for references to draw from."""

    def __init__(self, draw: st.DrawFn, plan: dict[str, list[str]]) -> None:
        self.draw = draw
        self.plan = plan
        self.serial = 0
        self.dangling = draw(st.integers(0, 3)) == 0  # a quarter of designs name missing things

    def ref(self, kind: str) -> str:
        pool = self.plan.get(kind) or []
        if not pool or (self.dangling and self.draw(st.integers(0, 4)) == 0):
            return self.draw(names)  # a reference to nothing
        return pick(self.draw, pool)

    def refs(self, kind: str, max_size: int = 2) -> list[str]:
        pool = self.plan.get(kind) or []
        return (
            [pick(self.draw, pool) for _ in range(self.draw(st.integers(0, max_size)))]
            if pool
            else []
        )


def pick(draw: st.DrawFn, items: list[Any]) -> Any:
    """One of ``items`` (cheaper than a new sampled_from strategy for every draw)."""
    return items[draw(st.integers(0, len(items) - 1))]


def _element(draw: st.DrawFn, name: str, pools: Pools) -> dict[str, Any]:
    data: dict[str, Any] = {"name": name}
    # Long or exotic names often give no usable code: an explicit one keeps many designs valid.
    if len(name) > 40 or draw(st.integers(0, 2)) == 0:
        pools.serial += 1
        data["code"] = f"{draw(codes)}{pools.serial}"
    if draw(st.booleans()):
        data["description"] = draw(descriptions)
    return data


def _emits(draw: st.DrawFn, pools: Pools) -> list[Any]:
    emits: list[Any] = []
    for _ in range(draw(st.integers(0, 2))):
        event = pools.ref("events")
        if draw(st.booleans()):
            emits.append(event)
        else:
            emits.append({"event": event, "probability": draw(st.floats(0.01, 0.99))})
    return emits


def _command(draw: st.DrawFn, name: str, pools: Pools, n: int) -> dict[str, Any]:
    data = _element(draw, name, pools)
    data["actors"] = pools.refs("actors")
    data["input"] = draw(field_maps(3))
    if draw(st.booleans()):
        data["route"] = f"{pick(draw, ['POST', 'PUT', 'PATCH', 'DELETE'])} /c{n}/{{key}}"
        data["input"]["key"] = "string"
    if pools.plan.get("aggregates") and draw(st.booleans()):
        data["aggregate"] = pools.ref("aggregates")
    data["emits"] = _emits(draw, pools)
    data["workload"] = draw(workloads)
    return data


def _aggregate(draw: st.DrawFn, name: str, pools: Pools) -> dict[str, Any]:
    data = _element(draw, name, pools)
    data["identifier"] = "id"
    data["attributes"] = {"id": "string", **draw(field_maps(3))}
    data["attributes"]["id"] = "string"
    if draw(st.booleans()):
        data["attributes"]["expiresAt"] = pick(draw, ["datetime", "integer"])
        data["ttl"] = "expiresAt"
    data["relationships"] = [
        {"entity": e, "kind": pick(draw, ["one-to-many", "many-to-many"])}
        for e in pools.refs("aggregates", 1)
        if e != name
    ]
    data["item_count"] = draw(st.integers(0, 10**9))
    return data


def _step(draw: st.DrawFn, name: str, later: list[str], pools: Pools, depth: int) -> dict:
    kinds = ["task", "wait", "choice", "approval", "succeed", "fail"]
    if depth == 0:
        kinds += ["parallel", "map"]
    kind = pick(draw, kinds)
    step = _element(draw, name, pools)
    if kind == "task":
        step["task"] = pools.ref("commands")
        step["failure_rate"] = pick(draw, [0.0, 0.01, 0.5])
        if draw(st.booleans()):
            step["retry"] = draw(
                st.one_of(
                    st.just(False),
                    st.fixed_dictionaries({"max_attempts": st.integers(1, 5)}),
                )
            )
        if pools.plan.get("commands") and draw(st.booleans()):
            step["compensate"] = pools.ref("commands")
        if later and draw(st.booleans()):
            step["on_error"] = [{"next": pick(draw, later)}]
    elif kind == "wait":
        step["wait"] = draw(
            st.one_of(
                st.fixed_dictionaries({"seconds": st.integers(1, 86_400)}),
                st.just({"until": "$.deadline"}),
            )
        )
    elif kind == "choice":
        targets = later or [name]
        step["choice"] = [
            {
                "when": pick(draw, ["total > 100", "status == 'PAID'", "exists(x)"]),
                "next": pick(draw, targets),
                "probability": pick(draw, [0.1, 0.25, 0.5]),
            }
            for _ in range(draw(st.integers(1, 2)))
        ]
        if later:
            step["default"] = pick(draw, later)
    elif kind == "approval":
        step["approval"] = {"approver": pools.ref("actors"), "timeout_s": 3600}
    elif kind == "succeed":
        step["succeed"] = {}
    elif kind == "fail":
        step["fail"] = {"error": "Failed", "cause": draw(descriptions)}
    elif kind == "parallel":
        step["parallel"] = [
            {"steps": _steps(draw, pools, 1)} for _ in range(draw(st.integers(1, 2)))
        ]
    else:
        step["map"] = {
            "items": "$.lines",
            "steps": _steps(draw, pools, 1),
            "items_per_execution": draw(st.integers(0, 100)),
        }
    if later and kind not in ("choice", "succeed", "fail") and draw(st.booleans()):
        step["next"] = pick(draw, later)
    return step


def _steps(draw: st.DrawFn, pools: Pools, depth: int) -> list[dict[str, Any]]:
    step_names = draw(st.lists(names, min_size=1, max_size=4, unique_by=str.strip))
    return [
        _step(draw, name, step_names[i + 1 :], pools, depth) for i, name in enumerate(step_names)
    ]


NEEDED = ("actors", "events", "aggregates", "commands")
KINDS = (
    "actors",
    "events",
    "aggregates",
    "commands",
    "access_patterns",
    "read_models",
    "policies",
    "workflows",
)


@st.composite
def design_data(draw: st.DrawFn) -> dict[str, Any]:
    """A random storm document: contexts with every common kind of element."""
    context_names = draw(st.lists(names, min_size=1, max_size=3, unique_by=str.strip))
    # The first context has at least one element that references need, so most are found.
    plan: list[dict[str, list[str]]] = [
        {
            kind: draw(
                st.lists(
                    names, min_size=int(c == 0 and kind in NEEDED), max_size=2, unique_by=str.strip
                )
            )
            for kind in KINDS
        }
        for c, _ in enumerate(context_names)
    ]
    everything = {kind: [n for p in plan for n in p[kind]] for kind in KINDS}
    pools = Pools(draw, everything)
    contexts = []
    counter = 0
    for context_name, own in zip(context_names, plan, strict=True):
        context: dict[str, Any] = _element(draw, context_name, pools)
        context["actors"] = [_element(draw, n, pools) for n in own["actors"]]
        context["events"] = [
            {
                **_element(draw, n, pools),
                "fields": draw(field_maps()),
                "version": draw(st.integers(1, 9)),
            }
            for n in own["events"]
        ]
        context["aggregates"] = [_aggregate(draw, n, pools) for n in own["aggregates"]]
        context["commands"] = []
        for n in own["commands"]:
            counter += 1
            context["commands"].append(_command(draw, n, pools, counter))
        context["access_patterns"] = [
            {
                **_element(draw, n, pools),
                "entity": pools.ref("aggregates"),
                "by": ["id"],
                "many": draw(st.booleans()),
                "consistency": pick(draw, ["eventual", "strong"]),
            }
            for n in own["access_patterns"]
        ]
        context["read_models"] = []
        for n in own["read_models"]:
            counter += 1
            context["read_models"].append(
                {
                    **_element(draw, n, pools),
                    "route": f"GET /q{counter}",
                    "fields": draw(field_maps(2)),
                    "access_patterns": pools.refs("access_patterns"),
                    "workload": draw(workloads),
                }
            )
        context["policies"] = []
        for n in own["policies"]:
            target = pick(draw, ["command", "workflow"])
            context["policies"].append(
                {
                    **_element(draw, n, pools),
                    "event": pools.ref("events"),
                    target: pools.ref(f"{target}s"),
                    "delivery": pick(draw, ["queue", "direct"]),
                    "batch_size": draw(st.integers(1, 100)),
                }
            )
        context["workflows"] = [
            {
                **_element(draw, n, pools),
                "type": pick(draw, [None, "standard", "express"]),
                "steps": _steps(draw, pools, 0),
            }
            for n in own["workflows"]
        ]
        for wf in context["workflows"]:
            if wf["type"] is None:
                del wf["type"]
        contexts.append(context)
    return {
        "format": 1,
        "name": draw(names),
        "description": draw(descriptions),
        "settings": {
            "region": pick(draw, ["us-east-1", "eu-west-3", "ap-southeast-2"]),
            "api": {"type": pick(draw, ["http", "rest"]), "auth": "jwt"},
        },
        "contexts": contexts,
    }


@st.composite
def designs(draw: st.DrawFn) -> Design:
    data = draw(design_data())
    try:
        return parse_design(data)
    except DesignError as exc:  # a strategy bug, not a model bug: show what was drawn
        raise AssertionError(f"drawn data is not structurally valid: {exc}\n{data}") from None


ROUND_TRIP = settings(
    # STORMDRAFT_EXAMPLES=2000 for a longer hunt; each example takes about a quarter second.
    max_examples=int(os.environ.get("STORMDRAFT_EXAMPLES", "100")),
    deadline=None,
    database=None,  # no .hypothesis folder in the repository
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


# --- round trip ---------------------------------------------------------------------------------


@ROUND_TRIP
@given(designs())
def test_dump_then_read_gives_the_same_design(design: Design) -> None:
    """parse(dump(d)) == d for every design; load(dump(d)) == d for the semantically valid."""
    text = dump_design(design)
    data, _ = parse_yaml(text)
    assert parse_design(data) == design
    assert dump_design(parse_design(data)) == text, "the dump is not canonical"
    try:
        validate(design)
    except DesignError as refused:
        # An invalid design stays invalid, for the same reasons, once written and read back.
        with pytest.raises(DesignError) as again:
            load_design(text)
        assert {p.message for p in again.value.problems} == {p.message for p in refused.problems}
    else:
        assert load_design(text).design == design


def test_round_trip_of_a_design_with_every_hostile_name() -> None:
    data = {
        "name": "Hostile",
        "contexts": [
            {
                "name": "Everything",
                "events": [{"name": name, "code": f"E{i}"} for i, name in enumerate(HOSTILE_NAMES)],
            }
        ],
    }
    design = load_design(dump_design(parse_design(data))).design
    assert [e.name for e in design.contexts[0].events] == HOSTILE_NAMES
    assert load_design(dump_design(design)).design == design


def test_a_list_of_optional_items_is_refused_in_either_form() -> None:
    """``list<string?>`` is refused, so the mapping form must be too, or its dump is unreadable."""
    short = {
        "name": "D",
        "contexts": [{"name": "C", "events": [{"name": "E", "fields": {"tags": "list<string?>"}}]}],
    }
    mapping = {
        "name": "D",
        "contexts": [
            {
                "name": "C",
                "events": [{"name": "E", "fields": {"tags": {"type": "list", "items": "string?"}}}],
            }
        ],
    }
    nested = {
        "name": "D",
        "contexts": [
            {
                "name": "C",
                "events": [
                    {
                        "name": "E",
                        "fields": {
                            "tags": {"type": "list", "items": {"type": "string", "optional": True}}
                        },
                    }
                ],
            }
        ],
    }
    for data in (short, mapping, nested):
        with pytest.raises(DesignError, match="cannot be optional"):
            parse_design(data)


# --- reading YAML safely ------------------------------------------------------------------------


def test_only_true_and_false_are_booleans() -> None:
    data, _ = parse_yaml(
        "a: on\nb: yes\nc: no\nd: off\ne: y\nf: n\ng: true\nh: False\ni: TRUE\nj: Yes\n"
    )
    assert data == {
        "a": "on",
        "b": "yes",
        "c": "no",
        "d": "off",
        "e": "y",
        "f": "n",
        "g": True,
        "h": False,
        "i": True,
        "j": "Yes",
    }


def test_yaml_11_booleans_stay_names_in_a_design() -> None:
    valid = load_design(
        "name: yes\ncontexts:\n  - name: on\n    events:\n      - name: off\n"
        "      - name: no\n        code: Refused\n"
    )
    design = valid.design
    assert (design.name, design.contexts[0].name) == ("yes", "on")
    assert [e.name for e in design.contexts[0].events] == ["off", "no"]
    assert load_design(dump_design(design)).design == design


def test_dates_and_timestamps_stay_text() -> None:
    data, _ = parse_yaml("d: 2024-01-31\nt: 2024-01-31T09:00:00Z\ns: 2001-12-14 21:59:43.10 -5\n")
    assert data == {
        "d": "2024-01-31",
        "t": "2024-01-31T09:00:00Z",
        "s": "2001-12-14 21:59:43.10 -5",
    }
    design = load_design("name: 2024-01-31\ndescription: 2024-02-01\ncontexts: []\n").design
    assert (design.name, design.description) == ("2024-01-31", "2024-02-01")


def test_numbers_stay_numbers() -> None:
    data, _ = parse_yaml("i: 3000000\nf: 0.25\ne: 1.0e+3\nh: 0x1F\n")
    assert data == {"i": 3_000_000, "f": 0.25, "e": 1000.0, "h": 31}


def test_duplicate_keys_are_refused_with_both_lines() -> None:
    with pytest.raises(DesignError) as caught:
        parse_yaml("name: A\ncontexts: []\nname: B\n")
    [problem] = caught.value.problems
    assert (problem.path, problem.line, problem.column) == ("name", 3, 1)
    assert problem.message == "the key 'name' appears twice (first on line 1)"


def test_duplicate_keys_are_refused_deep_in_the_design() -> None:
    text = "name: A\ncontexts:\n  - name: C\n    events: []\n    events: []\n"
    with pytest.raises(DesignError) as caught:
        load_design(text)
    [problem] = caught.value.problems
    assert (problem.path, problem.line) == ("contexts.C.events", 5)


@pytest.mark.parametrize(
    "text",
    [
        "name: !!python/object/apply:os.system ['echo pwned']\n",
        "name: !!python/name:os.system x\n",
        "name: !!set {a, b}\n",
        "name: !Ref Other\n",
        "contexts: !Contexts []\n",
    ],
)
def test_tags_are_refused(text: str) -> None:
    with pytest.raises(DesignError) as caught:
        parse_yaml(text)
    [problem] = caught.value.problems
    assert "tag" in problem.message and problem.line == 1


def test_merge_keys_are_refused() -> None:
    with pytest.raises(DesignError, match="merge keys"):
        parse_yaml("base: &b {x: 1}\nother:\n  <<: *b\n")


def test_recursive_alias_is_refused() -> None:
    with pytest.raises(DesignError):
        parse_yaml("a: &a [*a]\n")


def _alias_bomb(levels: int = 9, width: int = 9) -> str:
    lines = ['l0: &l0 ["lol"]']
    for i in range(1, levels + 1):
        lines.append(f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * width)}]")
    return "\n".join(lines) + "\n"


def test_alias_bomb_is_refused_in_under_a_second() -> None:
    started = time.perf_counter()
    with pytest.raises(DesignError, match="alias bomb"):
        load_design(_alias_bomb())
    assert time.perf_counter() - started < 1.0


def test_a_few_aliases_are_fine() -> None:
    data, _ = parse_yaml("a: &a {x: 1}\nb: *a\nc: [*a, *a]\n")
    assert data == {"a": {"x": 1}, "b": {"x": 1}, "c": [{"x": 1}, {"x": 1}]}


def test_deep_nesting_is_refused_without_crashing() -> None:
    """libyaml composes recursively in C: 100,000 levels used to crash the interpreter."""
    code = (
        "from app.model.stormfile import parse_yaml\n"
        "from app.model import DesignError\n"
        "try:\n"
        "    parse_yaml('[' * 100_000 + ']' * 100_000)\n"
        "except DesignError as e:\n"
        "    print(e)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    # Our own bound ("nests more than …") or libyaml's, depending on the PyYAML build.
    assert "nests more than" in result.stdout or "nesting depth" in result.stdout


def test_a_file_that_is_not_utf8_is_refused_with_its_line() -> None:
    with pytest.raises(DesignError) as caught:
        parse_yaml("name: ok\ndescription: caf\u00e9\n".encode("latin-1"))
    [problem] = caught.value.problems
    assert (problem.line, problem.column) == (2, 17)
    assert "not UTF-8" in problem.message


def test_an_empty_file_is_refused() -> None:
    for text in ("", "# only a comment\n"):
        with pytest.raises(DesignError, match="empty"):
            parse_yaml(text)


# --- size limit ---------------------------------------------------------------------------------


def _padded(size: int, char: str = "x") -> str:
    head = "name: Big\ncontexts: []\n# "
    body = char * ((size - len(head.encode()) - 1) // len(char.encode()))
    text = head + body + "\n"
    assert len(text.encode()) == size
    return text


def test_a_file_at_the_size_limit_is_read() -> None:
    data, _ = parse_yaml(_padded(MAX_BYTES))
    assert data["name"] == "Big"


def test_a_file_over_the_size_limit_is_refused() -> None:
    with pytest.raises(DesignError, match="the limit is"):
        parse_yaml(_padded(MAX_BYTES + 1))


def test_the_size_limit_counts_bytes_not_characters() -> None:
    text = "name: Big\ncontexts: []\n# " + "é" * (MAX_BYTES // 2)
    assert len(text) < MAX_BYTES < len(text.encode())
    with pytest.raises(DesignError, match="the limit is"):
        parse_yaml(text)
    with pytest.raises(DesignError, match="the limit is"):
        parse_yaml(text.encode())


def test_the_size_limit_can_be_lowered() -> None:
    with pytest.raises(DesignError, match="the limit is 10"):
        parse_yaml("name: too long\n", max_bytes=10)


# --- format upgrades ----------------------------------------------------------------------------


def _rename_lanes(data: dict[str, Any]) -> dict[str, Any]:
    """Format 1 → 2 (made up for the test): 'lanes' became 'contexts'."""
    data = dict(data)
    data["contexts"] = data.pop("lanes", [])
    return data


def _default_region(data: dict[str, Any]) -> dict[str, Any]:
    """Format 2 → 3 (made up): write out the region that format 2 defaulted."""
    data = dict(data)
    data.setdefault("settings", {}).setdefault("region", "eu-west-1")
    return data


@pytest.fixture
def format_3(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Pretend the current format is 3, with upgraders from 1 and 2; returns the calls made."""
    calls: list[int] = []

    def tracked(n: int, upgrader: Any) -> Any:
        def run(data: dict[str, Any]) -> dict[str, Any]:
            calls.append(n)
            return upgrader(data)

        return run

    monkeypatch.setattr(stormfile, "FORMAT_VERSION", 3)
    monkeypatch.setattr(
        stormfile, "UPGRADERS", {1: tracked(1, _rename_lanes), 2: tracked(2, _default_region)}
    )
    return calls


OLD_FILE = "format: 1\nname: Old\nlanes:\n  - name: Ordering\n    events:\n      - name: Placed\n"


def test_an_old_format_file_is_upgraded_step_by_step(format_3: list[int]) -> None:
    design = load_design(OLD_FILE).design
    assert format_3 == [1, 2]
    assert design.format == 3
    assert [c.name for c in design.contexts] == ["Ordering"]
    assert design.settings.region == "eu-west-1"


def test_a_file_without_format_is_read_as_format_1(format_3: list[int]) -> None:
    design = load_design(OLD_FILE.removeprefix("format: 1\n")).design
    assert format_3 == [1, 2]
    assert design.contexts[0].events[0].name == "Placed"


def test_a_current_format_file_is_not_upgraded(format_3: list[int]) -> None:
    design = load_design("format: 3\nname: New\ncontexts: []\n").design
    assert format_3 == []
    assert design.settings.region == "us-east-1"


def test_a_middle_format_file_runs_only_the_later_upgraders(format_3: list[int]) -> None:
    load_design("format: 2\nname: Mid\ncontexts: []\n")
    assert format_3 == [2]


def test_a_newer_format_is_refused(format_3: list[int]) -> None:
    with pytest.raises(DesignError) as caught:
        load_design("name: Future\nformat: 4\ncontexts: []\n")
    [problem] = caught.value.problems
    assert problem.path == "format"
    assert problem.line == 2
    assert "format 4" in problem.message and "up to 3" in problem.message


@pytest.mark.parametrize("version", ["0", "-1", "'1'", "1.5", "true"])
def test_a_nonsense_format_is_refused(version: str) -> None:
    with pytest.raises(DesignError) as caught:
        load_design(f"format: {version}\nname: X\ncontexts: []\n")
    assert caught.value.problems[0].path == "format"


def test_the_dump_writes_the_current_format_first() -> None:
    text = dump_design(parse_design({"name": "X", "contexts": []}))
    assert text.splitlines()[0] == f"format: {stormfile.FORMAT_VERSION}"
