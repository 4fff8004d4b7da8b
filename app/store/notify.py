"""PostgreSQL LISTEN/NOTIFY: announce a change inside its transaction, and hear the others'.

This is what lets several studio instances serve one workshop without any other broker.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

import psycopg
from sqlalchemy import make_url, text
from sqlmodel import Session

logger = logging.getLogger(__name__)

CHANNEL = "stormdraft_changes"


def is_postgresql(database_url: str) -> bool:
    """Whether the URL names a PostgreSQL database."""
    return make_url(database_url).get_backend_name() == "postgresql"


def notify(session: Session, payload: str) -> None:
    """Queue a notification that PostgreSQL sends when the session's transaction commits."""
    session.connection().execute(
        text("SELECT pg_notify(:channel, :payload)"), {"channel": CHANNEL, "payload": payload}
    )


def _libpq_url(database_url: str) -> str:
    url = make_url(database_url).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


class NotificationListener:
    """A daemon thread that LISTENs on the channel and hands each payload to `heard`."""

    def __init__(self, database_url: str, heard: Callable[[str], None]) -> None:
        self._url = _libpq_url(database_url)
        self._heard = heard
        self._stopping = threading.Event()
        self.ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="notify-listener", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                with psycopg.connect(self._url, autocommit=True) as connection:
                    connection.execute(f"LISTEN {CHANNEL}")
                    self.ready.set()
                    while not self._stopping.is_set():
                        for note in connection.notifies(timeout=0.5):
                            self._heard(note.payload)
            except psycopg.OperationalError as exc:
                # The database restarted or the network dropped: reconnect after a pause.
                self.ready.clear()
                logger.warning("lost the notification connection (%s); reconnecting", exc)
                self._stopping.wait(1.0)
