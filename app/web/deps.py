"""Request dependencies as `Annotated` aliases: settings, engine, session and the studio."""

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request

from app.services.studio import Studio
from app.settings import Settings
from app.store.db import Engine, Session, session_scope


def get_settings_of_app(request: Request) -> Settings:
    """The settings this app was created with."""
    settings: Settings = request.app.state.settings
    return settings


def get_engine(request: Request) -> Engine:
    """The database engine this app was created with."""
    engine: Engine = request.app.state.engine
    return engine


def get_session(engine: Annotated[Engine, Depends(get_engine)]) -> Iterator[Session]:
    """A session for one request: committed when the route succeeds, else rolled back."""
    with session_scope(engine) as session:
        yield session


SettingsDep = Annotated[Settings, Depends(get_settings_of_app)]
EngineDep = Annotated[Engine, Depends(get_engine)]
SessionDep = Annotated[Session, Depends(get_session)]


def get_studio(request: Request) -> Studio:
    """The studio operations this app was created with."""
    studio: Studio = request.app.state.studio
    return studio


StudioDep = Annotated[Studio, Depends(get_studio)]
