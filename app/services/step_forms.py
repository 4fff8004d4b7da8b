"""The workflow step editor's form, read into a step and written back: every property of a
step's kind as a text input, a choice or one of a few line formats.

Line formats (one item a line, blank lines ignored; ``->`` reads like ``→``):

- input mapping: ``field: state path`` (``amount: total``)
- catches: ``errors → next step`` (``Payments.Declined → Release stock``); errors are
  comma-separated, and none (or ``States.ALL``) means any error
- choice branches: ``condition → next step (probability)`` (``total > 1000 → Approve (0.05)``);
  the probability is optional and may be a percentage (``5%``)
- branch names of a parallel step: one a line, in branch order (an empty line: unnamed)

Only keys present in the form are read, so a form showing part of a step (the add form) leaves
the rest as it was. An empty field means the model's default, which the storm file leaves out.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from typing import Any

from app.model.workflow import STEP_KINDS, Retry
from app.services.edits import Data, EditRefused

Form = Mapping[str, str]
RESILIENT_KINDS = frozenset({"task", "service", "parallel", "map"})
NEXT_KINDS = frozenset({"task", "service", "parallel", "map", "wait", "approval"})
RETRY_KEYS = ("max_attempts", "interval_s", "backoff_rate", "max_delay_s")
_ARROW = re.compile(r"\s*(?:→|->)\s*")
_PROBABILITY = re.compile(r"^(?P<next>.*?)\s*\(\s*(?P<p>[0-9]*\.?[0-9]+\s*%?)\s*\)$")


def kind_of(step: Mapping[str, Any]) -> str:
    """The kind of a step's data: the one step key it carries (``task``, ``choice``, …)."""
    found = [kind for kind in STEP_KINDS if kind in step]
    if len(found) != 1:
        raise EditRefused(f"“{step.get('name', '?')}” is not a step of one known kind.")
    return found[0]


# -- the form's text from a step ---------------------------------------------------------------


def form_values(step: Mapping[str, Any]) -> dict[str, str]:
    """A step as the editor's fields show it (the inverse of `read_step`)."""
    kind = kind_of(step)
    values = {
        "name": step["name"],
        "code": step.get("code", ""),
        "description": step.get("description", ""),
        "next": step.get("next", ""),
    }
    if kind in RESILIENT_KINDS:
        values |= _resilience_values(step)
    if kind in ("task", "service"):
        values |= {
            "input": mapping_lines(step.get("input", {})),
            "compensate": step.get("compensate", ""),
        }
    if kind == "task":
        values["task"] = step["task"]
        workload = step.get("workload", {})
        values |= {f"workload_{key}": _text(workload.get(key)) for key in TASK_WORKLOAD_KEYS}
    elif kind == "service":
        values |= {"service": step["service"], "target": step.get("target", "")}
    elif kind == "choice":
        values |= {"branches": branch_lines(step["choice"]), "default": step.get("default", "")}
    elif kind == "parallel":
        values["branch_names"] = "\n".join(b.get("name", "") for b in step["parallel"])
    elif kind == "map":
        spec = step["map"]
        values |= {key: _text(spec.get(key)) for key in MAP_KEYS}
        values["items"] = spec["items"]
    elif kind == "wait":
        values |= {
            "seconds": _text(step["wait"].get("seconds")),
            "until": _text(step["wait"].get("until")),
        }
    elif kind == "approval":
        spec = step["approval"]
        values |= {key: _text(spec.get(key)) for key in APPROVAL_KEYS}
        values["approval_timeout_s"] = _text(spec.get("timeout_s"))
    elif kind == "fail":
        values |= {"error": step["fail"].get("error", ""), "cause": step["fail"].get("cause", "")}
    return values


TASK_WORKLOAD_KEYS = ("duration_ms", "p99_ms")
"""What a task may say of its own run when it differs from its command's (the workflow's
longest run, and so its type, uses it)."""
MAP_KEYS = ("max_concurrency", "items_per_execution", "mode", "tolerated_failure_percentage")
LABELS = {
    "task": "command",
    "service": "action",
    "input": "input mapping",
    "timeout_s": "timeout (s)",
    "failure_rate": "failure rate",
    "failure_error": "failure error",
    "on_error": "on error",
    "max_attempts": "max attempts",
    "interval_s": "interval (s)",
    "backoff_rate": "backoff rate",
    "max_delay_s": "max delay (s)",
    "choice": "branches",
    "when": "condition",
    "parallel": "branches",
    "items": "items path",
    "max_concurrency": "max concurrency",
    "items_per_execution": "items per execution",
    "tolerated_failure_percentage": "tolerated failures (%)",
    "heartbeat_s": "heartbeat (s)",
    "on_reject": "on reject",
    "on_timeout": "on timeout",
    "rejection_rate": "rejection rate",
    "timeout_rate": "timeout rate",
    "workload_duration_ms": "duration (ms)",
    "workload_p99_ms": "p99 (ms)",
}
"""How the editor labels a step's keys (refusals name fields as the form does)."""
APPROVAL_KEYS = (
    "approver",
    "heartbeat_s",
    "notify",
    "on_reject",
    "on_timeout",
    "rejection_rate",
    "timeout_rate",
)


def _resilience_values(step: Mapping[str, Any]) -> dict[str, str]:
    retry = step.get("retry")
    values = {
        "timeout_s": _text(step.get("timeout_s")),
        "failure_rate": _text(step.get("failure_rate")),
        "failure_error": step.get("failure_error", ""),
        "on_error": catch_lines(step.get("on_error", [])),
        "retry": "none" if retry is False else "custom" if isinstance(retry, dict) else "default",
        "retry_errors": "",
        "retry_jitter": "yes",
    }
    spec = retry if isinstance(retry, dict) else {}
    for key in RETRY_KEYS:
        values[f"retry_{key}"] = _text(spec.get(key))
    if "max_delay_s" in spec and spec["max_delay_s"] is None:
        values["retry_max_delay_s"] = "none"
    values["retry_errors"] = ", ".join(spec.get("errors", []))
    values["retry_jitter"] = "no" if spec.get("jitter") is False else "yes"
    return values


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def mapping_lines(mapping: Mapping[str, str]) -> str:
    return "\n".join(f"{field}: {path}" for field, path in mapping.items())


def catch_lines(catches: list[Data]) -> str:
    return "\n".join(
        f"{', '.join(catch.get('errors', ['States.ALL']))} → {catch['next']}" for catch in catches
    )


def branch_lines(branches: list[Data]) -> str:
    lines = []
    for branch in branches:
        line = f"{branch['when']} → {branch['next']}"
        if branch.get("probability") is not None:
            line += f" ({branch['probability']:g})"
        lines.append(line)
    return "\n".join(lines)


# -- a step from the form ----------------------------------------------------------------------


def read_step(current: Mapping[str, Any], form: Form, names: Collection[str] = ()) -> Data:
    """`current` with the keys the form carries read from it; EditRefused naming the step, the
    field and the line of anything it cannot read. Ranges and references are the model's to
    judge. `names` are the workflow's step names: a branch going to one of them whole goes
    there, even when the name ends in a bracketed number ("Retry (2)")."""
    kind = kind_of(current)
    step: Data = dict(current)
    name = form.get("name", step["name"]).strip() or step["name"]
    reader = _Reader(form, f"Step “{name}”", names)
    for key in ("name", "code", "description"):
        reader.put(step, key, reader.text(key))
    if "name" in form and not form["name"].strip():
        raise EditRefused(f"{reader.who}: a step needs a name.")
    if kind in NEXT_KINDS:
        reader.put(step, "next", reader.text("next"))
    if kind in RESILIENT_KINDS:
        _read_resilience(reader, step)
    if kind in ("task", "service"):
        reader.put(step, "input", reader.mapping("input", "input mapping"))
        reader.put(step, "compensate", reader.text("compensate"))
    if kind == "task":
        reader.put(step, "task", reader.text("task"))
        workload = dict(step.get("workload", {}))
        for key in TASK_WORKLOAD_KEYS:
            reader.put(workload, key, reader.number(f"workload_{key}"))
        reader.put(step, "workload", workload)
    elif kind == "service":
        reader.put(step, "service", reader.text("service"))
        reader.put(step, "target", reader.text("target"))
    elif kind == "choice":
        reader.put(step, "choice", reader.branches("branches"))
        reader.put(step, "default", reader.text("default"))
    elif kind == "parallel":
        _read_branch_names(reader, step)
    elif kind == "map":
        spec = dict(step["map"])
        reader.put(spec, "items", reader.text("items"))
        reader.put(spec, "max_concurrency", reader.number("max_concurrency", whole=True))
        reader.put(spec, "items_per_execution", reader.number("items_per_execution"))
        reader.put(spec, "mode", reader.text("mode"))
        reader.put(
            spec, "tolerated_failure_percentage", reader.number("tolerated_failure_percentage")
        )
        step["map"] = spec
    elif kind == "wait":
        spec = dict(step["wait"])
        reader.put(spec, "seconds", reader.number("seconds", whole=True))
        reader.put(spec, "until", reader.text("until"))
        step["wait"] = spec
    elif kind == "approval":
        spec = dict(step["approval"])
        reader.put(spec, "approver", reader.text("approver"))
        timeout = reader.number("approval_timeout_s", whole=True, label="timeout (s)")
        reader.put(spec, "timeout_s", timeout)
        reader.put(spec, "heartbeat_s", reader.number("heartbeat_s", whole=True))
        reader.put(spec, "notify", reader.text("notify"))
        reader.put(spec, "on_reject", reader.text("on_reject"))
        reader.put(spec, "on_timeout", reader.text("on_timeout"))
        reader.put(spec, "rejection_rate", reader.rate("rejection_rate"))
        reader.put(spec, "timeout_rate", reader.rate("timeout_rate"))
        step["approval"] = spec
    elif kind == "fail":
        spec = dict(step["fail"])
        reader.put(spec, "error", reader.text("error"))
        reader.put(spec, "cause", reader.text("cause"))
        step["fail"] = spec
    return step


def _read_resilience(reader: _Reader, step: Data) -> None:
    reader.put(step, "timeout_s", reader.number("timeout_s", whole=True))
    reader.put(step, "failure_rate", reader.rate("failure_rate"))
    reader.put(step, "failure_error", reader.text("failure_error"))
    reader.put(step, "on_error", reader.catches("on_error"))
    mode = reader.text("retry")
    if mode is _ABSENT:
        return
    if mode not in ("", "default", "custom", "none"):
        raise EditRefused(f"{reader.who}, retry: choose default, custom or none.")
    if mode == "none":
        step["retry"] = False
        return
    if mode != "custom":
        step.pop("retry", None)
        return
    spec: Data = {}
    errors = reader.names("retry_errors")
    if errors:
        spec["errors"] = errors
    for key in RETRY_KEYS:
        whole = key != "backoff_rate"
        if key == "max_delay_s" and reader.form.get("retry_max_delay_s", "").strip() == "none":
            spec[key] = None
            continue
        label = f"retry · {LABELS[key]}"
        reader.put(spec, key, reader.number(f"retry_{key}", whole=whole, label=label))
    if reader.text("retry_jitter") == "no":
        spec["jitter"] = False
    # Values at their default are left out; a custom retry of defaults is the default retry.
    defaults = Retry().model_dump()
    reader.put(step, "retry", {k: v for k, v in spec.items() if defaults[k] != v})


def _read_branch_names(reader: _Reader, step: Data) -> None:
    if "branch_names" not in reader.form:
        return
    names = [line.strip() for line in reader.form["branch_names"].splitlines()]
    while names and not names[-1]:
        names.pop()
    branches = step["parallel"]
    if len(names) > len(branches):
        raise EditRefused(
            f"{reader.who}, branch names: it has {len(branches)} branch"
            f"{'es' if len(branches) != 1 else ''}, so at most {len(branches)} lines "
            f"(one a branch, in order), not {len(names)}."
        )
    renamed = []
    for index, branch in enumerate(branches):
        given = names[index] if index < len(names) else ""
        renamed.append(
            {"name": given, "steps": branch["steps"]} if given else {"steps": branch["steps"]}
        )
    step["parallel"] = renamed


class _Reader:
    """Reads one form's fields for one step, naming the step in every refusal."""

    def __init__(self, form: Form, who: str, names: Collection[str] = ()) -> None:
        self.form = form
        self.who = who
        self.step_names = names

    @staticmethod
    def put(target: Data, key: str, value: Any) -> None:
        """Set `key`, or leave it out when the form says nothing (None: not in the form)."""
        if value is _ABSENT:
            return
        if value is None or value == "" or value == [] or value == {}:
            target.pop(key, None)
        else:
            target[key] = value

    def text(self, key: str) -> Any:
        return self.form[key].strip() if key in self.form else _ABSENT

    def names(self, key: str) -> list[str]:
        text = self.form.get(key, "")
        return [name.strip() for name in text.split(",") if name.strip()]

    def number(self, key: str, *, whole: bool = False, label: str | None = None) -> Any:
        if key not in self.form:
            return _ABSENT
        label = label or LABELS.get(key, key)
        return read_number(self.form[key], f"{self.who}, {label}", whole=whole)

    def rate(self, key: str) -> Any:
        if key not in self.form:
            return _ABSENT
        return read_rate(self.form[key], f"{self.who}, {LABELS.get(key, key)}")

    def mapping(self, key: str, label: str) -> Any:
        if key not in self.form:
            return _ABSENT
        return read_mapping(self.form[key], f"{self.who}, {label}")

    def catches(self, key: str) -> Any:
        if key not in self.form:
            return _ABSENT
        return read_catches(self.form[key], f"{self.who}, on error")

    def branches(self, key: str) -> Any:
        if key not in self.form:
            return _ABSENT
        return read_branches(self.form[key], f"{self.who}, branches", self.step_names)


_ABSENT: Any = object()


def read_number(text: str, where: str, *, whole: bool = False) -> int | float | None:
    """A number as people type it (``86,400``, ``1_000``), None when empty."""
    text = text.strip().replace(",", "").replace("_", "")
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        raise EditRefused(f"{where}: “{text[:30]}” is not a number.") from None
    if whole and not number.is_integer():
        raise EditRefused(f"{where}: a whole number, not {text}.")
    return int(number) if number.is_integer() else number


def read_rate(text: str, where: str) -> float | int | None:
    """A share between 0 and 1, also written as a percentage (``2%`` is 0.02)."""
    text = text.strip()
    if text.endswith("%"):
        number = read_number(text[:-1], where)
        return None if number is None else round(number / 100, 10)
    return read_number(text, where)


def read_mapping(text: str, where: str) -> dict[str, str]:
    """Lines of ``field: state path``."""
    found: dict[str, str] = {}
    for number, line in _lines(text):
        field, colon, path = line.partition(":")
        if not colon or not field.strip() or not path.strip():
            raise EditRefused(
                f"{where}, line {number}: write “field: state path” (e.g. orderId: orderId), "
                f"not “{line[:60]}”."
            )
        if field.strip() in found:
            raise EditRefused(f"{where}, line {number}: “{field.strip()}” is mapped twice.")
        found[field.strip()] = path.strip()
    return found


def read_catches(text: str, where: str) -> list[Data]:
    """Lines of ``errors → next step``."""
    found: list[Data] = []
    for number, line in _lines(text):
        parts = _ARROW.split(line)
        if len(parts) != 2 or not parts[1].strip():
            raise EditRefused(
                f"{where}, line {number}: write “errors → next step” (e.g. "
                f"Payments.Declined → Release stock), not “{line[:60]}”."
            )
        errors = [e.strip() for e in parts[0].split(",") if e.strip()]
        catch: Data = {"errors": errors} if errors and errors != ["States.ALL"] else {}
        found.append({**catch, "next": parts[1].strip()})
    return found


def read_branches(text: str, where: str, names: Collection[str] = ()) -> list[Data]:
    """Lines of ``condition → next step (probability)``; a next step that is one of `names`
    as written has no probability ("Retry (2)"; "Retry (2) (5%)" has one)."""
    found: list[Data] = []
    for number, line in _lines(text):
        arrows = list(_ARROW.finditer(line))
        if not arrows:
            raise EditRefused(
                f"{where}, line {number}: write “condition → next step” (e.g. "
                f"total > 1000 → Approve), not “{line[:60]}”."
            )
        last = arrows[-1]
        when, target = line[: last.start()].strip(), line[last.end() :].strip()
        if not when or not target:
            raise EditRefused(
                f"{where}, line {number}: both a condition and the next step are needed, "
                f"as in “total > 1000 → Approve”."
            )
        branch: Data = {"when": when, "next": target}
        shaped = None if target in names else _PROBABILITY.match(target)
        if shaped:
            branch["next"] = shaped["next"].strip()
            branch["probability"] = read_rate(shaped["p"], f"{where}, line {number}, probability")
        found.append(branch)
    return found


def _lines(text: str) -> list[tuple[int, str]]:
    return [(n, line.strip()) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]


# -- a new step from the add form --------------------------------------------------------------


def new_step(form: Form, names: Collection[str] = ()) -> Data:
    """The step the add form describes: its kind, name and what that kind needs to be valid
    (a parallel step's first branch and a map's steps start with one step)."""
    kind = form.get("kind", "")
    if kind not in STEP_KINDS:
        raise EditRefused("Choose the kind of step to add.")
    name = form.get("name", "").strip()
    if not name:
        raise EditRefused("A new step needs a name.")
    who = f"New step “{name}”"
    skeleton: Data = {"name": name}
    if kind == "task":
        skeleton["task"] = _required(form, "task", f"{who}: choose the command it runs.")
    elif kind == "service":
        skeleton["service"] = _required(form, "service", f"{who}: choose the service action.")
    elif kind == "choice":
        skeleton["choice"] = _first_branch(form, who, names)
    elif kind == "parallel":
        branch: Data = {"steps": [_first_step(form, name, who)]}
        if form.get("branch_name", "").strip():
            branch = {"name": form["branch_name"].strip(), **branch}
        skeleton["parallel"] = [branch]
    elif kind == "map":
        items = _required(form, "items", f"{who}: give the state path of the list to go through.")
        skeleton["map"] = {"items": items, "steps": [_first_step(form, name, who)]}
    elif kind == "wait":
        skeleton["wait"] = {}
    elif kind == "approval":
        skeleton["approval"] = {
            "approver": _required(form, "approver", f"{who}: choose who approves.")
        }
    elif kind == "succeed":
        skeleton["succeed"] = {}
    elif kind == "fail":
        skeleton["fail"] = {}
    fields = {k: v for k, v in form.items() if k not in ("kind", "where", "branches")}
    return read_step(skeleton, fields, names)


def _first_branch(form: Form, who: str, names: Collection[str]) -> list[Data]:
    """A new choice's branches: a condition and the step it goes to (the add form's fields), or
    lines of them."""
    when, then = form.get("when", "").strip(), form.get("then", "").strip()
    if when or then:
        if not (when and then):
            raise EditRefused(
                f"{who}: a choice's branch needs a condition and the step it goes to."
            )
        return [{"when": when, "next": then}]
    branches = read_branches(form.get("branches", ""), f"{who}, branches", names)
    if not branches:
        raise EditRefused(f"{who}: a choice needs at least one branch: a condition and a step.")
    return branches


def _required(form: Form, key: str, message: str) -> str:
    value = form.get(key, "").strip()
    if not value:
        raise EditRefused(message)
    return value


def _first_step(form: Form, parent: str, who: str) -> Data:
    """The first step inside a new parallel branch or map: it runs a command, or (when none is
    chosen yet) simply succeeds."""
    command = form.get("first_task", "").strip()
    name = form.get("first_name", "").strip() or command or f"{parent} done"
    if len(name) > 200:
        raise EditRefused(f"{who}, first step: a name of at most 200 characters.")
    return {"name": name, "task": command} if command else {"name": name, "succeed": {}}
