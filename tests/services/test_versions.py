"""The versions service: names, numbering, the export's version, restore and the diff."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest

from app.services.edits import EditRefused
from app.services.live import Hub
from app.services.studio import Studio
from app.services.versions import CURRENT, VersionNotFound, Versions, version_name
from app.store.db import Engine

AT = datetime(2026, 11, 29, 9, 30, tzinfo=UTC)


@pytest.fixture
def studio(engine: Engine) -> Studio:
    return Studio(engine, Hub(str(engine.url.render_as_string(hide_password=False))))


@pytest.fixture
def versions(studio: Studio) -> Versions:
    return Versions(studio, clock=lambda: AT)


@pytest.fixture
def design(studio: Studio) -> str:
    return studio.create_from_starter("order-processing", "", "Owner").id


def test_names_are_single_spaced_and_default_to_the_revision() -> None:
    assert version_name("  Before \t the   workshop ", "Revision 3") == "Before the workshop"
    assert version_name("   ", "Revision 3") == "Revision 3"
    with pytest.raises(EditRefused, match="control characters"):
        version_name("bad\x00name", "x")
    with pytest.raises(EditRefused, match="at most 200"):
        version_name("x" * 201, "x")


def test_numbers_count_per_design_and_record_who_and_when(
    studio: Studio, versions: Versions, design: str
) -> None:
    other = studio.create_blank("Other", "Owner").id
    assert versions.save_version(design, "one", "Ana").number == 1
    assert versions.save_version(other, "", "Ben").number == 1
    second = versions.save_version(design, "two", "Ben")
    assert (second.number, second.created_by, second.created_at) == (2, "Ben", AT)
    assert [v.name for v in versions.list_versions(design)] == ["two", "one"]


def test_saves_at_once_get_distinct_numbers(versions: Versions, design: str) -> None:
    with ThreadPoolExecutor(max_workers=4) as pool:
        made = list(pool.map(lambda i: versions.save_version(design, f"v{i}", "Ana"), range(8)))
    assert sorted(v.number for v in made) == list(range(1, 9))


def test_the_export_keeps_the_document_it_exported(
    studio: Studio, versions: Versions, design: str
) -> None:
    exported = studio.document(design)
    studio.rename(design, "Moved on", "Ana")
    kept = versions.snapshot_export(design, "Ana", exported)
    assert kept.revision == exported.revision
    assert versions.snapshot(design, kept.number).text == exported.text
    assert versions.snapshot_export(design, "Ana", exported) == kept


def test_restore_keeps_the_design_before_once(
    studio: Studio, versions: Versions, design: str
) -> None:
    first = versions.save_version(design, "first", "Ana")
    studio.rename(design, "Second", "Ana")
    restored = versions.restore(design, first.number, "Ben")
    assert restored.before.name == "Before restoring version 1"
    assert restored.saved.name == "Order processing"
    assert restored.saved.summary == "Restored version 1 “first”"
    # Back and forth: each design state is kept once.
    versions.restore(design, restored.before.number, "Ben")
    versions.restore(design, first.number, "Ben")
    assert [v.number for v in versions.list_versions(design)] == [2, 1]
    with pytest.raises(EditRefused, match="nothing to restore"):
        versions.restore(design, first.number, "Ben")


def test_unknown_versions_are_reported(versions: Versions, design: str) -> None:
    with pytest.raises(VersionNotFound, match="no version 4"):
        versions.restore(design, 4, "Ana")
    with pytest.raises(VersionNotFound):
        versions.diff(design, 4, CURRENT)


def test_the_current_design_compared_with_itself_is_unchanged(
    versions: Versions, design: str
) -> None:
    compared = versions.diff(design, CURRENT, CURRENT)
    assert compared.diff is not None and compared.diff.empty
    assert compared.text().startswith("Changes to Order processing\nNo changes to the design.\n")
    assert compared.json()["problems"] == []
