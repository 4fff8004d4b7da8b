"""Store fixtures: a session on a migrated database (SQLite and PostgreSQL) and a fake clock."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from app.store.db import Engine, Session


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session whose writes the test commits (or not) itself."""
    with Session(engine) as session:
        yield session


class FakeClock:
    """A clock that starts at `start` and moves one minute forward each time it is read."""

    def __init__(self, start: datetime) -> None:
        self.start = start
        self._reads = 0

    def __call__(self) -> datetime:
        now = self.start + timedelta(minutes=self._reads)
        self._reads += 1
        return now


@pytest.fixture
def clock() -> FakeClock:
    """A fake clock for the repositories' `now` parameter."""
    return FakeClock(datetime(2026, 1, 5, 9, 0, tzinfo=UTC))
