"""The live stream of a design: server-sent events for changes and for who is present."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from app.services.live import Message
from app.web.access import AccessDep, AccountsDep, role_on
from app.web.deps import StudioDep
from app.web.sessions import ParticipantDep

router = APIRouter(include_in_schema=False)

HEARTBEAT_S = 15.0


def _event(message: Message) -> str:
    kind = str(message.get("type", "change"))
    return f"event: {kind}\ndata: {json.dumps(message, ensure_ascii=False)}\n\n"


@router.get("/designs/{design_id}/events")
async def design_events(
    request: Request,
    design_id: str,
    studio: StudioDep,
    accounts: AccountsDep,
    access: AccessDep,
    participant: ParticipantDep,
    watch: int = 1,
) -> StreamingResponse:
    """Every change to the design as it is saved (`change`), arrivals and leavings
    (`presence`), comments (`comments`); `revoked` and the end of the stream when the link
    it was opened by is revoked. `watch=0` listens without appearing in the presence list."""
    subscription = studio.hub.subscribe(design_id)
    present = bool(watch)

    async def still_allowed() -> bool:
        role = await run_in_threadpool(role_on, design_id, access.identity, studio, accounts)
        return role is not None

    async def stream() -> AsyncIterator[str]:
        try:
            yield ": connected\n\n"
            if present:
                await run_in_threadpool(
                    studio.arrive, design_id, participant.session_id, participant.name
                )
            while True:
                try:
                    message = await asyncio.wait_for(subscription.queue.get(), HEARTBEAT_S)
                except TimeoutError:
                    if await request.is_disconnected():
                        return
                    if not await still_allowed():
                        yield _event({"type": "revoked"})
                        return
                    if present:
                        await run_in_threadpool(
                            studio.still_here, design_id, participant.session_id, participant.name
                        )
                    yield ": still here\n\n"
                    continue
                if message.get("type") == "access":
                    if not await still_allowed():
                        yield _event({"type": "revoked"})
                        return
                    continue
                yield _event(message)
        finally:
            studio.hub.unsubscribe(subscription)
            if present:
                # Not awaited: the stream may be ending because its task was cancelled.
                loop = asyncio.get_running_loop()
                loop.run_in_executor(None, studio.leave, design_id, participant.session_id)

    return StreamingResponse(
        stream(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
