"""EventBridge Scheduler expressions: validation and how often they run in a month."""

from __future__ import annotations

import re

HOURS_PER_MONTH = 730.0
DAYS_PER_MONTH = HOURS_PER_MONTH / 24
_RATE = re.compile(r"^rate\((\d+)\s+(minute|minutes|hour|hours|day|days)\)$")
_AT = re.compile(r"^at\(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\)$")
_MINUTES = {"minute": 1, "minutes": 1, "hour": 60, "hours": 60, "day": 1440, "days": 1440}
_MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
_DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]


def _count(field: str, low: int, high: int, names: list[str], what: str) -> int:
    """How many values of ``low..high`` a cron field selects (lists, ranges, steps, names)."""
    values: set[int] = set()
    for part in field.split(","):
        step = 1
        if "/" in part:
            part, step_text = part.split("/", 1)
            if not step_text.isdigit() or int(step_text) < 1:
                raise ValueError(f"bad step {step_text!r} in the {what} field")
            step = int(step_text)
        if part in ("*", "?"):
            start, end = low, high
        elif "-" in part:
            a, b = part.split("-", 1)
            start, end = _value(a, low, high, names, what), _value(b, low, high, names, what)
        else:
            start = _value(part, low, high, names, what)
            end = high if step > 1 else start
        if start > end:
            raise ValueError(f"range {part!r} in the {what} field runs backwards")
        values.update(range(start, end + 1, step))
    return len(values)


def _value(text: str, low: int, high: int, names: list[str], what: str) -> int:
    upper = text.upper()
    if upper in names:
        return names.index(upper) + low
    if not text.isdigit() or not low <= int(text) <= high:
        raise ValueError(f"{text!r} is not a valid value of the {what} field ({low}-{high})")
    return int(text)


def _cron_runs(body: str) -> float:
    parts = body.split()
    if len(parts) != 6:
        raise ValueError(
            "a cron expression has six fields: minutes hours day-of-month month day-of-week year"
        )
    minute, hour, dom, month, dow, _year = parts
    if (dom == "?") == (dow == "?"):
        raise ValueError("exactly one of day-of-month and day-of-week must be '?'")
    minutes = _count(minute, 0, 59, [], "minutes")
    hours = _count(hour, 0, 23, [], "hours")
    months = _count(month, 1, 12, _MONTHS, "month")
    if dow == "?":
        days = 1.0 if re.fullmatch(r"L|\d{1,2}W|LW", dom) else float(_count(dom, 1, 31, [], "day"))
        days = min(days, DAYS_PER_MONTH)
    elif "#" in dow or dow.endswith("L"):
        days = 1.0
    else:
        days = _count(dow, 1, 7, _DAYS, "day-of-week") * DAYS_PER_MONTH / 7
    return minutes * hours * days * months / 12


def runs_per_month(expression: str) -> float:
    """Runs per month of a schedule expression; raises ValueError with a plain message."""
    text = expression.strip()
    if m := _RATE.match(text):
        every = int(m.group(1)) * _MINUTES[m.group(2)]
        if every < 1:
            raise ValueError("a rate must be at least 1")
        return HOURS_PER_MONTH * 60 / every
    if text.startswith("cron(") and text.endswith(")"):
        return _cron_runs(text[5:-1])
    if _AT.match(text):
        return 1.0
    raise ValueError(
        f"unknown schedule {expression!r}; write rate(5 minutes), cron(0 2 * * ? *) "
        "or at(2026-01-31T09:00:00)"
    )
