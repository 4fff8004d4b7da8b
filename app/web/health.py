"""Health check for load balancers and container orchestrators."""

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from app.store.db import database_answers
from app.web.deps import EngineDep

router = APIRouter()


@router.get("/healthz", name="health")
def health(engine: EngineDep) -> JSONResponse:
    """`ok` with 200 when the database answers, else 503 so traffic goes elsewhere."""
    if database_answers(engine):
        return JSONResponse({"status": "ok", "database": "ok"})
    return JSONResponse({"status": "unavailable", "database": "unavailable"}, status_code=503)
