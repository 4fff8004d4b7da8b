"""The layers stay apart: the pure core imports nothing from storage, web or the clock."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

APP = Path(__file__).parent.parent / "app"
PURE = ("model", "generators", "review")
FORBIDDEN = (
    "app.store",
    "app.web",
    "app.services",
    "app.cli",
    "fastapi",
    "starlette",
    "sqlmodel",
    "sqlalchemy",
    "uvicorn",
    "secrets",
    "time",
)
# Seeded generators (random.Random(seed)) and name-based uuid5 are deterministic; these are not.
FORBIDDEN_CALLS = (
    "datetime.now",
    "datetime.utcnow",
    "date.today",
    "time.time",
    "os.environ",
    "uuid.uuid1",
    "uuid.uuid4",
    "random.random",
    "random.choice",
    "random.randint",
    "random.shuffle",
    "random.sample",
    "random.uniform",
)


def _modules(package: str) -> list[Path]:
    return sorted((APP / package).rglob("*.py")) if (APP / package).exists() else []


def _imports(tree: ast.AST) -> list[str]:
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return names


@pytest.mark.parametrize(
    "path", [p for pkg in PURE for p in _modules(pkg)], ids=lambda p: str(p.relative_to(APP))
)
def test_pure_core_imports_nothing_impure(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    bad = [
        name
        for name in _imports(tree)
        if any(name == f or name.startswith(f + ".") for f in FORBIDDEN)
    ]
    assert not bad, f"{path.name} imports {bad}"
    calls = [ast.unparse(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)]
    attributes = [ast.unparse(n) for n in ast.walk(tree) if isinstance(n, ast.Attribute)]
    used = [c for c in calls + attributes if c in FORBIDDEN_CALLS]
    assert not used, f"{path.name} reads the clock or the environment: {used}"


def test_store_is_the_only_layer_with_sql() -> None:
    # web/deps.py may name the Session type for its SessionDep alias; nothing else outside
    # the store touches the database library.
    for package in ("web", "services", "model", "generators", "review"):
        for path in _modules(package):
            if path.relative_to(APP).as_posix() == "web/deps.py":
                continue
            imports = _imports(ast.parse(path.read_text(encoding="utf-8")))
            assert not [n for n in imports if n.startswith(("sqlalchemy", "sqlmodel"))], path
