"""Live updates: who listens to which design, and delivering each change to every listener.

On SQLite one studio process serves everyone, so a change is delivered in-process. On
PostgreSQL the change is announced with NOTIFY inside the transaction that saves it, and every
instance's listener thread delivers what it hears, its own changes included, so each browser
hears each change exactly once, whichever instance made it.
"""

from __future__ import annotations

import asyncio
import json
import threading
from dataclasses import dataclass, field
from typing import Any

from app.store.notify import CHANNEL, NotificationListener, is_postgresql

Message = dict[str, Any]


@dataclass(eq=False)
class Subscription:
    """One listener of one design: a queue of messages, read by its event stream."""

    design_id: str
    queue: asyncio.Queue[Message] = field(default_factory=asyncio.Queue)


class Hub:
    """The listeners of this process, and the way changes reach them."""

    def __init__(self, database_url: str) -> None:
        self.database_url = database_url
        self.shared = is_postgresql(database_url)
        self._subscriptions: dict[str, set[Subscription]] = {}
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._listener: NotificationListener | None = None
        self._starts = 0

    def start(self, loop: asyncio.AbstractEventLoop) -> None:
        """Deliver on `loop`; on PostgreSQL, start listening to the other instances. Starts
        and stops pair up: one listener serves however many times the app was started."""
        with self._lock:
            self._loop = loop
            self._starts += 1
            if self.shared and self._listener is None:
                self._listener = NotificationListener(self.database_url, self._heard)
                self._listener.start()

    def stop(self) -> None:
        with self._lock:
            self._starts = max(0, self._starts - 1)
            listener = self._listener if self._starts == 0 else None
            if listener is not None:
                self._listener = None
        if listener is not None:
            listener.stop()

    def wait_until_listening(self, timeout: float = 5.0) -> bool:
        """Whether the PostgreSQL listener is connected (always true on SQLite)."""
        return self._listener is None or self._listener.ready.wait(timeout)

    def subscribe(self, design_id: str) -> Subscription:
        subscription = Subscription(design_id)
        with self._lock:
            self._subscriptions.setdefault(design_id, set()).add(subscription)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        with self._lock:
            listeners = self._subscriptions.get(subscription.design_id, set())
            listeners.discard(subscription)
            if not listeners:
                self._subscriptions.pop(subscription.design_id, None)

    def listeners(self, design_id: str) -> int:
        with self._lock:
            return len(self._subscriptions.get(design_id, ()))

    def announce_locally(self, design_id: str, message: Message) -> None:
        """Deliver a saved change to this process's listeners (SQLite; thread-safe)."""
        if not self.shared:
            self._deliver(design_id, message)

    def _heard(self, payload: str) -> None:
        try:
            message = json.loads(payload)
            design_id = str(message.pop("design"))
        except (ValueError, KeyError, AttributeError):
            return  # not one of ours
        self._deliver(design_id, message)

    def _deliver(self, design_id: str, message: Message) -> None:
        loop = self._loop
        with self._lock:
            listeners = list(self._subscriptions.get(design_id, ()))
        if loop is None or loop.is_closed() or not listeners:
            return
        loop.call_soon_threadsafe(_put_all, listeners, message)


def _put_all(listeners: list[Subscription], message: Message) -> None:
    for subscription in listeners:
        subscription.queue.put_nowait(message)


def notification(design_id: str, message: Message) -> str:
    """The NOTIFY payload of a message (well under PostgreSQL's 8000-byte limit)."""
    return json.dumps({"design": design_id, **message}, ensure_ascii=False)[:7900]


__all__ = ["CHANNEL", "Hub", "Message", "Subscription", "notification"]
