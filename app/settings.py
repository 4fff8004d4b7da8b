"""The studio's settings: one typed class read from the environment, with laptop defaults."""

from functools import lru_cache
from typing import Literal, Self

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PLACEHOLDER_SECRET_KEY = "change-me-outside-development"
ENV_PREFIX = "STORMDRAFT_"


class Settings(BaseSettings):
    """Every user-facing option: its name, default and help text.

    Each field is read from `STORMDRAFT_<NAME>`, except `database_url`, which is read from
    `DATABASE_URL` as most hosting platforms set it.
    """

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, extra="ignore", frozen=True, populate_by_name=True
    )

    environment: Literal["development", "production"] = Field(
        default="development",
        description="`production` refuses unsafe defaults such as the placeholder secret key.",
    )
    database_url: str = Field(
        default="sqlite:///./stormdraft.db",
        validation_alias="DATABASE_URL",
        description="SQLAlchemy URL: a SQLite file, or postgresql://user@host/db for teams.",
    )
    host: str = Field(default="127.0.0.1", description="Address the studio listens on.")
    port: int = Field(default=8000, ge=1, le=65535, description="Port the studio listens on.")
    secret_key: SecretStr = Field(
        default=SecretStr(PLACEHOLDER_SECRET_KEY),
        description="Signs share links and sessions; must be set outside development.",
    )
    open_signup: bool = Field(
        default=True,
        description="Anyone who reaches the studio may create an account; with false, only the "
        "first account is made in the browser and the rest by `stormdraft user create`.",
    )
    max_request_bytes: int = Field(
        default=2 * 1024 * 1024, gt=0, description="Request bodies larger than this get 413."
    )

    @model_validator(mode="after")
    def _refuse_placeholder_secret(self) -> Self:
        placeholder = self.secret_key.get_secret_value() == PLACEHOLDER_SECRET_KEY
        if self.environment != "development" and placeholder:
            raise ValueError(
                f"set {ENV_PREFIX}SECRET_KEY: the placeholder secret key is refused "
                f"outside development"
            )
        return self


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings of this process, read once from the environment."""
    return Settings()
