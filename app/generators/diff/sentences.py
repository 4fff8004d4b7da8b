"""Plain-language sentences for field changes: "the memory of Charge payment went from 512 MB
to 1,024 MB", "Place order now emits OrderShipped too"."""

from __future__ import annotations

from typing import Any

from app.generators.diff.compare import REF_LISTS, Delta, Side

LABELS = {
    "size_kb": "event size",
    "ttl": "expiry attribute",
    "item_size_kb": "item size",
    "growth_per_month": "monthly growth",
    "batch_size": "batch size",
    "batch_window_s": "batch window",
    "sort": "sort attribute",
    "range": "range condition",
    "many": "many-items setting",
    "consistency": "read consistency",
    "condition": "write condition",
    "requests_per_month": "traffic",
    "expression": "schedule",
    "timezone": "time zone",
    "kind": "kind",
    "calls_per_invocation": "calls per invocation",
    "by": "equality attributes",
    "exists": "required attributes",
    "memory_mb": "memory",
    "duration_ms": "duration",
    "p99_ms": "p99 latency",
    "peak_factor": "peak factor",
    "payload_kb": "payload size",
    "latency_sensitive": "latency sensitivity",
    "cpu_bound": "CPU-bound share",
    "timeout_s": "timeout",
    "reserved_concurrency": "reserved concurrency",
    "provisioned_concurrency": "provisioned concurrency",
    "dead_letter_queue": "dead-letter queue",
    "max_attempts": "maximum attempts",
    "interval_s": "retry interval",
    "backoff_rate": "backoff rate",
    "max_delay_s": "maximum retry delay",
    "failure_rate": "failure rate",
    "failure_error": "failure error",
    "on_error": "error handling",
    "rejection_rate": "rejection rate",
    "timeout_rate": "timeout rate",
    "heartbeat_s": "heartbeat",
    "on_reject": "step on rejection",
    "on_timeout": "step on timeout",
    "items": "items path",
    "max_concurrency": "maximum concurrency",
    "items_per_execution": "items per execution",
    "tolerated_failure_percentage": "tolerated failure percentage",
    "seconds": "wait",
    "until": "wait-until path",
    "choice": "branches",
    "default": "default step",
    "next": "next step",
    "parallel": "branches",
    "approver": "approver",
    "notify": "notification",
    "cause": "failure cause",
    "error": "failure error",
    "signature": "signature check",
}
UNITS = {
    "_mb": " MB",
    "_ms": " ms",
    "_kb": " KB",
    "_s": " s",
    "seconds": " s",
    "requests_per_month": " requests a month",
    "growth_per_month": " items a month",
}
RATES = ("probability", "failure_rate", "rejection_rate", "timeout_rate", "cpu_bound")
SETTING_WORDS = {
    "http": "HTTP",
    "rest": "REST",
    "jwt": "JWT",
    "api-key": "API key",
    "none": "none",
}
FIELD_LABELS = {"input": "input field", "fields": "field", "attributes": "attribute"}
REF_LIST_SENTENCES = {
    "actors": ("{name} can now be called by {item}", "{name} can no longer be called by {item}"),
    "access_patterns": (
        "{name} now uses the access pattern {item}",
        "{name} no longer uses the access pattern {item}",
    ),
    "include": ("{name} now also returns {item} items", "{name} no longer returns {item} items"),
    "called_by": ("{item} now calls {name}", "{item} no longer calls {name}"),
}


def number(value: float, key: str = "") -> str:
    """A number as people write it: 1,024; 0.25; 5% for rates."""
    if key in RATES:
        return f"{value * 100:,.4g}%" if value * 100 < 1000 else f"{value * 100:,.0f}%"
    if float(value).is_integer() and abs(value) < 2**53:
        return f"{int(value):,}"
    return f"{value:,.6g}" if abs(value) >= 1 else f"{value:.4g}"


def value_text(value: Any, key: str = "", side: Side | None = None) -> str:
    """A field's value in words, with its unit."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        unit = next((u for end, u in UNITS.items() if key.endswith(end)), "")
        return number(value, key) + unit
    if isinstance(value, str):
        if not value:
            return "nothing"
        if value.startswith("ref:") and side is not None:
            return side.name_of(value)
        return value
    if isinstance(value, list):
        return ", ".join(value_text(v, key, side) for v in value) if value else "nothing"
    if isinstance(value, dict):
        if set(value) == {"type"}:
            return str(value["type"])
        inner = ", ".join(
            f"{value_text(k, '', side)}: {value_text(v, k, side)}" for k, v in value.items()
        )
        return "{" + inner + "}"
    return str(value)


def label(path: tuple[str, ...]) -> str:
    """The words for a field path: ``workload.memory_mb`` → "memory"."""
    last = path[-1]
    if path[:1] == ("retry",) and len(path) == 1:
        return "retry policy"
    if path[:1] == ("wait",):
        return LABELS.get(last, "wait")
    if path[:1] == ("webhook",) and len(path) > 1:
        return "webhook " + LABELS.get(last, last.replace("_", " "))
    if path[:2] == ("workload", "overrides"):
        return LABELS.get(last, last.replace("_", " ")) + " override"
    return LABELS.get(last, last.replace("_", " "))


def field_sentence(kind: str, name: str, delta: Delta, old: Side, new: Side) -> str:
    """One sentence for one field change of the element (or step) called ``name``."""
    path, key = delta.path, delta.path[-1]
    had, has = delta.present
    if delta.item is not None:
        return _item_sentence(kind, name, delta, old, new)
    if kind == "access_patterns" and path == ("order",):
        return f"{name} now sorts {_order_words(delta.new, old, new, name)}"
    if key == "description":
        return f"the description of {name} changed"
    if key == "succeed" or (path[:1] == ("fail",) and key == "cause"):
        what = "output" if key == "succeed" else "failure cause"
        return f"the {what} of {name} changed"
    words = label(path)
    a = value_text(delta.old, key, old)
    b = value_text(delta.new, key, new)
    if key == "retry":
        return f"the retry policy of {name} changed from {_retry(delta.old)} to {_retry(delta.new)}"
    if delta.old is None and had and has:
        return f"{name} now has a {words}: {b}"
    if delta.new is None and had and has:
        return f"{name} no longer has a {words} (was {a})"
    numeric = all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in (delta.old, delta.new)
    )
    verb = "went" if numeric else "changed"
    return f"the {words} of {name} {verb} from {a} to {b}"


def _retry(policy: Any) -> str:
    """A retry policy in words: the default, no retries, or "up to 5 attempts, 2 s apart…"."""
    if policy is None:
        return "the default"
    if policy is False:
        return "no retries"
    return (
        f"up to {number(policy['max_attempts'])} attempts, {number(policy['interval_s'])} s "
        f"apart, backoff {number(policy['backoff_rate'])}×"
    )


def _order_words(order: str, old: Side, new: Side, name: str) -> str:
    """How a pattern now sorts: newest or oldest first by a time, else in which order."""
    from app.model.elements import AccessPattern

    entry = next((e for e in new.valid.of_kind("access_patterns") if e.element.name == name), None)
    timely = False
    if entry is not None and isinstance(entry.element, AccessPattern) and entry.element.sort:
        target = new.valid.target(entry.element, "entity")
        attributes = getattr(target.element, "attributes", {}) if target else {}
        field = attributes.get(entry.element.sort)
        timely = field is not None and field.type in ("datetime", "date")
    if timely:
        return "newest first" if order == "desc" else "oldest first"
    return "in descending order" if order == "desc" else "in ascending order"


def _item_sentence(kind: str, name: str, delta: Delta, old: Side, new: Side) -> str:
    path, key, item = delta.path, delta.path[-1], delta.item or ""
    had, has = delta.present
    if key in REF_LISTS:
        added, removed = REF_LIST_SENTENCES.get(
            key, ("{name} now refers to {item}", "{name} no longer refers to {item}")
        )
        if not had:
            return added.format(name=name, item=new.name_of(item))
        return removed.format(name=name, item=old.name_of(item))
    if key == "emits":
        hook = "'s webhook" if path[:1] == ("webhook",) else ""
        if not had:
            return f"{name}{hook} now emits {new.name_of(item)} too"
        if not has:
            return f"{name}{hook} no longer emits {old.name_of(item)}"
        event = new.name_of(item)
        parts = []
        for part in ("probability", "count"):
            if delta.old[part] != delta.new[part]:
                a, b = number(delta.old[part], part), number(delta.new[part], part)
                what = "the probability that" if part == "probability" else "how many times"
                parts.append(f"{what} {name}{hook} emits {event} went from {a} to {b}")
        return "; ".join(parts)
    if key == "relationships":
        if not had:
            return f"{name} now has a {delta.new} relationship to {new.name_of(item)}"
        if not has:
            return f"{name} no longer has a relationship to {old.name_of(item)}"
        return (
            f"the relationship of {name} to {new.name_of(item)} changed from "
            f"{delta.old} to {delta.new}"
        )
    if key == "filters":
        if not had:
            return f"{name} now filters on {item} = {value_text(delta.new)}"
        if not has:
            return f"{name} no longer filters on {item}"
        return (
            f"the filter on {item} of {name} changed from {value_text(delta.old)} "
            f"to {value_text(delta.new)}"
        )
    what = FIELD_LABELS.get(key, "field")
    if not had:
        return f"{name} now has the {what} {item} ({type_text(delta.new)})"
    if not has:
        return f"{name} no longer has the {what} {item}"
    return (
        f"the {what} {item} of {name} changed from {type_text(delta.old)} to {type_text(delta.new)}"
    )


def type_text(dumped: Any) -> str:
    """A field type as its short form (``decimal?``), or its type word when it needs more."""
    if isinstance(dumped, str):
        return dumped
    if isinstance(dumped, dict):
        text = str(dumped.get("type", "object"))
        if dumped.get("optional"):
            text += "?"
        if dumped.get("description"):
            text += f", “{dumped['description']}”"
        return text
    return str(dumped)


def setting_sentence(path: tuple[str, ...], old: Any, new: Any) -> str:
    """A settings change: "settings: API type changed from HTTP to REST"."""
    words = {
        ("region",): "region",
        ("runtime",): "runtime",
        ("architecture",): "architecture",
        ("api", "type"): "API type",
        ("api", "auth"): "API authorisation",
    }.get(path, " ".join(path).replace("_", " "))
    a = SETTING_WORDS.get(old, old) if isinstance(old, str) else value_text(old)
    b = SETTING_WORDS.get(new, new) if isinstance(new, str) else value_text(new)
    return f"settings: {words} changed from {a} to {b}"
