"""Reading storm files, starting designs from starters, and writing generated output."""

from __future__ import annotations

from pathlib import Path

from app import catalog
from app.generators.output import Artifact, json_text
from app.generators.registry import generate_all
from app.generators.table import import_workbench, is_workbench_model
from app.model import DesignError, ValidDesign, dump_design, load_design, parse_design
from app.model.stormfile import MAX_BYTES, parse_yaml

MANIFEST = "manifest.json"


def read_design_file(path: Path) -> ValidDesign:
    """Load and validate a storm file from disk (DesignError for anything wrong with it)."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise DesignError.one("", f"the file is {size:,} bytes; the limit is {MAX_BYTES:,}")
        data = path.read_bytes()
    except OSError as exc:
        raise DesignError.one("", f"cannot read {path}: {exc.strerror or exc}") from None
    return load_design(data)


def design_from_workbench(text: str | bytes, name: str = "") -> str:
    """The storm file of a new design from a NoSQL Workbench model (JSON): its entities with
    their attributes, and a read pattern per key and index; DesignError when it is not one."""
    data, _marks = parse_yaml(text)
    if not is_workbench_model(data):
        raise DesignError.one("", "this is not a NoSQL Workbench model (it has no 'DataModel')")
    return workbench_design(data, name)


def workbench_design(model: dict[str, object], name: str = "") -> str:
    """The storm file of a parsed NoSQL Workbench model (see `design_from_workbench`)."""
    imported = import_workbench(model)
    if name.strip():
        imported["name"] = imported["contexts"][0]["name"] = name.strip()
    return dump_design(parse_design(imported))


def design_from_starter(slug: str, name: str) -> str:
    """The storm file of a new design named ``name``, copied from a starter."""
    found = catalog.starter(slug)
    if found is None:
        known = ", ".join(s.slug for s in catalog.starters())
        raise DesignError.one("", f"no starter named '{slug}'; choose one of: {known}")
    valid = load_design(found.text())
    design = valid.design.model_copy(update={"name": name, "id": None})
    return dump_design(load_design(dump_design(design)).design)


def manifest(artifacts: list[Artifact]) -> Artifact:
    """Every file written, with its kind and content hash."""
    files = [
        {"path": a.path, "kind": a.kind, "sha256": a.sha256, "bytes": len(a.content)}
        for a in artifacts
    ]
    return Artifact.text(MANIFEST, "manifest", json_text({"files": files}))


def generate(valid: ValidDesign) -> list[Artifact]:
    """Every artifact of a design plus the manifest that lists them."""
    artifacts = generate_all(valid)
    return [*artifacts, manifest(artifacts)]


def write_output(artifacts: list[Artifact], out: Path) -> None:
    """Write artifacts under ``out``; a path that would leave ``out`` is a bug, never written."""
    root = out.resolve()
    for artifact in artifacts:
        target = (root / artifact.path).resolve()
        if not target.is_relative_to(root):
            raise RuntimeError(f"refusing to write outside the output folder: {artifact.path}")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(artifact.content)


def seed_starter(database_url: str, slug: str = "order-processing") -> str | None:
    """Save the starter as a first design when the studio has none; the name saved, or None."""
    from app.store import designs as stored
    from app.store.db import create_db_engine, session_scope

    found = catalog.starter(slug)
    if found is None:
        raise DesignError.one("", f"no starter named '{slug}'")
    engine = create_db_engine(database_url)
    try:
        with session_scope(engine) as session:
            if stored.list_designs(session, include_deleted=True, limit=1):
                return None
            text = design_from_starter(slug, found.name)
            stored.create_design(session, name=found.name, storm_yaml=text, actor="stormdraft")
            return found.name
    finally:
        engine.dispose()
