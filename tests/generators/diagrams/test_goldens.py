"""Golden DOT and Mermaid files for the starters and the hostile corpus.

The SVG is checked elsewhere (it depends on the installed Graphviz and fonts); DOT and Mermaid
are ours byte for byte. Regenerate after an intended change with
``STORMDRAFT_UPDATE_GOLDENS=1 pytest tests/generators/diagrams``.
"""

from __future__ import annotations

import pytest

from app.generators.diagrams import diagram_files
from tests.generators.diagrams.factories import CASES, HERE, case_id, load
from tests.generators.diagrams.golden_files import check_goldens


@pytest.mark.parametrize("path", CASES, ids=case_id)
def test_diagrams_match_goldens(path) -> None:
    actual = {
        artifact.path.removeprefix("diagrams/"): artifact.content.decode()
        for artifact in diagram_files(load(path))
        if artifact.path.endswith((".dot", ".mmd"))
    }
    check_goldens(HERE / "goldens" / case_id(path), actual, "tests/generators/diagrams")
