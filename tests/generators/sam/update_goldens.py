"""Rewrite the golden templates: python -m tests.generators.sam.update_goldens"""

from pathlib import Path

from app.generators.sam.export import sam_files
from app.model import load_design

GOLDENS = Path(__file__).parent / "goldens"

if __name__ == "__main__":
    GOLDENS.mkdir(exist_ok=True)
    for starter in sorted(Path("catalog/starters").glob("*.storm.yaml")):
        files = {a.path: a.content for a in sam_files(load_design(starter.read_text("utf-8")))}
        (GOLDENS / f"{starter.name.split('.')[0]}.template.yaml").write_bytes(
            files["template.yaml"]
        )
