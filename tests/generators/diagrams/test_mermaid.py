"""Mermaid files parse with Mermaid's own parser (the npm ``mermaid`` package, run by Node).

Needs ``mermaid`` and ``jsdom`` in ``node_modules`` (devDependencies of package.json); ``make
setup`` installs them.
"""

from __future__ import annotations

import shutil
import subprocess

from app.generators.diagrams import diagram_graphs, to_mermaid
from tests.generators.diagrams.factories import CASES, HERE, ROOT, large, load

SCRIPT = HERE / "mermaid_parse.mjs"
INSTALLED = all((ROOT / "node_modules" / name).exists() for name in ("mermaid", "jsdom"))


def test_mermaid_parser_is_installed() -> None:
    assert INSTALLED and shutil.which("node"), "run make setup: npm installs mermaid and jsdom"


def parse(paths: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["node", str(SCRIPT), *paths], capture_output=True, text=True, timeout=300, check=False
    )


def test_every_mermaid_file_parses(tmp_path) -> None:
    paths = []
    designs = {path.name: load(path) for path in CASES} | {"large": large()}
    for name, valid in designs.items():
        for stem, graph in diagram_graphs(valid).items():
            path = tmp_path / name / f"{stem}.mmd"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(to_mermaid(graph), encoding="utf-8")
            paths.append(str(path))
    done = parse(paths)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_parser_refuses_broken_mermaid(tmp_path) -> None:
    broken = tmp_path / "broken.mmd"
    broken.write_text('flowchart LR\n  n0["a"b"] --> n1\n', encoding="utf-8")
    assert parse([str(broken)]).returncode == 1
