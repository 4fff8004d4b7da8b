"""Settings: laptop defaults, environment variables, and no placeholder secret in production."""

import pytest
from pydantic import ValidationError

from app.settings import PLACEHOLDER_SECRET_KEY, Settings, get_settings


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch):
    for name in ("DATABASE_URL", "STORMDRAFT_ENVIRONMENT", "STORMDRAFT_SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_defaults_work_on_a_laptop():
    settings = Settings()
    assert settings.database_url == "sqlite:///./stormdraft.db"
    assert (settings.host, settings.port) == ("127.0.0.1", 8000)
    assert settings.environment == "development"
    assert settings.max_request_bytes == 2 * 1024 * 1024


def test_database_url_is_read_without_the_prefix(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://postgres@db/stormdraft")
    monkeypatch.setenv("STORMDRAFT_PORT", "9000")
    settings = get_settings()
    assert settings.database_url == "postgresql://postgres@db/stormdraft"
    assert settings.port == 9000
    assert get_settings() is settings


def test_production_refuses_the_placeholder_secret_key():
    with pytest.raises(ValidationError, match="SECRET_KEY"):
        Settings(environment="production")


def test_production_accepts_a_real_secret_key(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("STORMDRAFT_ENVIRONMENT", "production")
    monkeypatch.setenv("STORMDRAFT_SECRET_KEY", "a-long-random-value")
    settings = Settings()
    assert settings.secret_key.get_secret_value() != PLACEHOLDER_SECRET_KEY
    assert "a-long-random-value" not in repr(settings)
