"""``stormdraft seed``: a first design from a starter, only when the studio has none."""

from __future__ import annotations

import pytest

from app.model import load_design
from app.services.designs import seed_starter
from app.store import designs as stored
from app.store.db import Engine, session_scope


def test_seed_saves_one_valid_starter_design_once(engine: Engine, database_url: str) -> None:
    assert seed_starter(database_url) == "Order processing"
    assert seed_starter(database_url) is None
    with session_scope(engine) as session:
        saved = [(d.name, d.storm_yaml) for d in stored.list_designs(session)]
    assert [name for name, _ in saved] == ["Order processing"]
    assert load_design(saved[0][1]).design.name == "Order processing"


def test_seed_refuses_an_unknown_starter(engine: Engine, database_url: str) -> None:
    from app.model import DesignError

    with pytest.raises(DesignError, match="no starter named"):
        seed_starter(database_url, "no-such-starter")
