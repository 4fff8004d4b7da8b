"""Every broken storm file in ``broken/`` is refused with the problem its header states.

Each file starts with comment lines::

    # expect: <path>: <message>     the problem, as str(problem) prints it without its position
    # line: <n> | none              the line the problem is reported on (none: no line)
    # why: <what is wrong, in words>

``expect:`` must equal one problem exactly; ``expect-contains:`` may be used instead where only
part of a message is stable. The same files are checked through the command line:
``python -m app.cli validate FILE`` exits 2 with the problems on stderr, one per line, and no
traceback.
"""

from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.model import DesignError, Problem, load_design
from app.model.stormfile import MAX_BYTES

REPO = Path(__file__).resolve().parents[2]
BROKEN = Path(__file__).parent / "broken"
FILES = sorted(BROKEN.glob("*.storm.yaml"))
CLI_TIMEOUT_S = 60

VALID = """\
format: 1
name: Shop
contexts:
  - name: Ordering
    commands:
      - name: PlaceOrder
        emits: [OrderPlaced]
        workload: {requests_per_month: 1000}
    events:
      - name: OrderPlaced
"""

REQUIRED_CASES = {
    # unknown references of every kind
    "unknown-event",
    "unknown-command",
    "unknown-workflow",
    "unknown-aggregate",
    "unknown-actor",
    "unknown-access-pattern",
    "unknown-step-next",
    "unknown-catch-target",
    # identity
    "ambiguous-reference",
    "duplicate-code",
    "no-derivable-code",
    "invalid-code",
    # structure
    "unknown-key",
    "missing-required-key",
    "wrong-type",
    "probability-out-of-range",
    "memory-out-of-range",
    "bad-enum-value",
    "bad-field-type",
    # routes and API
    "bad-route",
    "route-parameter-not-input",
    "duplicate-route",
    "api-key-on-http-api",
    # expressions
    "bad-condition",
    "bad-cron",
    "bad-rate",
    # element rules
    "policy-command-and-workflow",
    "step-two-kinds",
    "parallel-target-outside-branch",
    "map-target-outside-branch",
    "ttl-not-a-date",
    "identifier-missing",
    "amplifying-cycle",
    # the file itself
    "duplicate-yaml-key",
    "invalid-yaml",
    "not-a-mapping",
    "format-newer",
    "not-utf8",
    "alias-bomb",
}


@dataclass(frozen=True)
class Expectation:
    text: str
    exact: bool
    line: int | None


def expectation(path: Path) -> Expectation:
    """Read the ``# expect:`` and ``# line:`` header of a broken file."""
    header: dict[str, str] = {}
    # The header is ASCII or UTF-8 even where the rest of the file is not.
    for raw in path.read_bytes().splitlines():
        text = raw.decode("utf-8", errors="replace")
        if not text.startswith("#"):
            break
        key, _, value = text[1:].strip().partition(":")
        header[key.strip()] = value.strip()
    exact = "expect" in header
    text = header.get("expect") if exact else header.get("expect-contains")
    assert text, f"{path.name}: no '# expect:' header"
    assert "line" in header, f"{path.name}: no '# line:' header"
    line = None if header["line"] == "none" else int(header["line"])
    return Expectation(text, exact, line)


def unplaced(problem: Problem) -> str:
    """A problem as str() prints it, without the leading 'line n, column m: '."""
    return f"{problem.path or '(design)'}: {problem.message}"


def matches(problem: Problem, expected: Expectation) -> bool:
    text = unplaced(problem)
    return text == expected.text if expected.exact else expected.text in text


def refused(text: str | bytes) -> tuple[Problem, ...]:
    with pytest.raises(DesignError) as caught:
        load_design(text)
    assert caught.value.problems, "a DesignError must carry at least one problem"
    return caught.value.problems


def test_the_corpus_covers_every_kind_of_mistake() -> None:
    names = {path.name.removesuffix(".storm.yaml") for path in FILES}
    assert len(names) >= 35
    assert names >= REQUIRED_CASES, f"missing cases: {sorted(REQUIRED_CASES - names)}"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name.removesuffix(".storm.yaml"))
def test_broken_file_is_refused_with_the_expected_problem(path: Path) -> None:
    expected = expectation(path)
    problems = refused(path.read_bytes())
    found = [p for p in problems if matches(p, expected)]
    assert found, f"expected {expected.text!r}; got:\n" + "\n".join(f"  {p}" for p in problems)
    assert any(p.line == expected.line for p in found), (
        f"expected line {expected.line}; got {[p.line for p in found]}"
    )


def test_alias_bomb_is_refused_within_a_second() -> None:
    text = (BROKEN / "alias-bomb.storm.yaml").read_bytes()
    started = time.perf_counter()
    refused(text)
    assert time.perf_counter() - started < 1.0


def oversized_file(tmp_path: Path) -> Path:
    """A valid design padded with a comment to one byte over the size limit."""
    path = tmp_path / "huge.storm.yaml"
    padding = MAX_BYTES + 1 - len(VALID.encode()) - 3
    path.write_text(VALID + "# " + "x" * padding + "\n", encoding="utf-8")
    assert path.stat().st_size == MAX_BYTES + 1
    return path


SIZE_MESSAGE = f"the file is {MAX_BYTES + 1:,} bytes; the limit is {MAX_BYTES:,}"


def test_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    problems = refused(oversized_file(tmp_path).read_bytes())
    assert [unplaced(p) for p in problems] == [f"(design): {SIZE_MESSAGE}"]


# --- the command line ---------------------------------------------------------------------------


def run_validate(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app.cli", "validate", str(path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=CLI_TIMEOUT_S,
    )


def assert_refused_by_cli(result: subprocess.CompletedProcess[str], expected: str) -> None:
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    assert result.returncode == 2, (result.returncode, result.stderr)
    lines = result.stderr.splitlines()
    assert any(expected in line for line in lines), (
        f"expected {expected!r} on one line of stderr; got:\n{result.stderr}"
    )


def test_cli_accepts_a_valid_design(tmp_path: Path) -> None:
    path = tmp_path / "valid.storm.yaml"
    path.write_text(VALID, encoding="utf-8")
    result = run_validate(path)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 0, (result.returncode, result.stderr)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name.removesuffix(".storm.yaml"))
def test_cli_refuses_broken_file(path: Path) -> None:
    assert_refused_by_cli(run_validate(path), expectation(path).text)


def test_cli_refuses_a_file_over_the_size_limit(tmp_path: Path) -> None:
    assert_refused_by_cli(run_validate(oversized_file(tmp_path)), SIZE_MESSAGE)
