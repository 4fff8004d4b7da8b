"""Runs the Alembic migrations from Python (tests, and the CLI when it wants to)."""

from pathlib import Path

from alembic.config import Config

from alembic import command

ALEMBIC_INI = Path(__file__).resolve().parents[2] / "alembic.ini"


def alembic_config(database_url: str) -> Config:
    """The project's Alembic config, aimed at `database_url`, leaving logging alone."""
    config = Config(str(ALEMBIC_INI))
    config.attributes["database_url"] = database_url
    config.attributes["configure_logging"] = False
    return config


def upgrade_to_head(database_url: str) -> None:
    """Apply every migration that `database_url` has not had yet."""
    command.upgrade(alembic_config(database_url), "head")
