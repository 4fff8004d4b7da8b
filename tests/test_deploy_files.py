"""Dockerfile and docker-compose.yml name only files, settings and commands that exist.

No container engine runs in CI, so these files are checked by reading them.
"""

import json
import shlex
from pathlib import Path

import yaml

from app.cli import build_parser
from app.settings import ENV_PREFIX, Settings

ROOT = Path(__file__).resolve().parents[1]


def _setting_env_names() -> set[str]:
    names = set()
    for name, field in Settings.model_fields.items():
        alias = field.validation_alias
        names.add(alias if isinstance(alias, str) else ENV_PREFIX + name.upper())
    return names


def _dockerfile() -> list[tuple[str, str]]:
    """The Dockerfile's instructions as (KEYWORD, arguments), continuation lines joined."""
    instructions, pending = [], ""
    for line in (ROOT / "Dockerfile").read_text(encoding="utf-8").splitlines():
        if not pending and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        keyword, _, arguments = (pending + line).strip().partition(" ")
        instructions.append((keyword.upper(), arguments.strip()))
        pending = ""
    return instructions


def _env_names(arguments: str) -> list[str]:
    return [pair.split("=", 1)[0] for pair in shlex.split(arguments)]


def _compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def _commands(arguments: str) -> list[list[str]]:
    """The commands a JSON-form CMD runs, with `sh -c 'a && exec b'` taken apart."""
    argv = json.loads(arguments)
    if argv[:2] != ["sh", "-c"]:
        return [argv]
    commands = [shlex.split(part) for part in argv[2].split("&&")]
    return [command[1:] if command[0] == "exec" else command for command in commands]


def test_every_copied_source_exists():
    copies = [args for keyword, args in _dockerfile() if keyword == "COPY"]
    assert copies
    for arguments in copies:
        if arguments.startswith("--from="):
            continue  # copied from an earlier build stage, not from the repository
        *sources, _destination = shlex.split(arguments)
        for source in sources:
            assert (ROOT / source).exists(), f"Dockerfile copies {source}, which is not in the repo"


def test_copied_package_files_exist_for_the_asset_stage():
    assert (ROOT / "package.json").exists() and (ROOT / "package-lock.json").exists()
    vendor_script = json.loads((ROOT / "package.json").read_text())["scripts"]["vendor"]
    assert "static/vendor" in vendor_script


def test_environment_variables_in_the_dockerfile_are_settings():
    ours = [
        name
        for keyword, arguments in _dockerfile()
        if keyword == "ENV"
        for name in _env_names(arguments)
        if name.startswith(ENV_PREFIX) or name == "DATABASE_URL"
    ]
    assert ours
    assert set(ours) <= _setting_env_names()


def test_the_container_migrates_then_serves_with_real_commands():
    [cmd] = [arguments for keyword, arguments in _dockerfile() if keyword == "CMD"]
    migrate, serve = _commands(cmd)
    assert migrate == ["alembic", "upgrade", "head"]
    assert (ROOT / "alembic.ini").exists() and list((ROOT / "alembic" / "versions").glob("*.py"))
    assert serve[0] == "stormdraft"
    arguments = build_parser().parse_args(serve[1:])
    assert arguments.command == "serve"
    exposed = {args for keyword, args in _dockerfile() if keyword == "EXPOSE"}
    assert {str(arguments.port)} == exposed


def test_compose_builds_this_repo_and_sets_only_real_settings():
    services = _compose()["services"]
    studio = services["studio"]
    assert (ROOT / studio["build"] / "Dockerfile").exists()
    assert set(studio["environment"]) <= _setting_env_names()
    database_host = studio["environment"]["DATABASE_URL"].split("@", 1)[1].split(":", 1)[0]
    assert database_host in services
    assert set(studio["depends_on"]) <= set(services)


def test_compose_publishes_the_port_the_container_serves_on():
    [published] = _compose()["services"]["studio"]["ports"]
    exposed = {args for keyword, args in _dockerfile() if keyword == "EXPOSE"}
    assert {published.split(":")[-1]} == exposed
