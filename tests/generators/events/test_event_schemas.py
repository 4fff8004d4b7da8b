"""Event schemas: draft-04 EventBridge envelopes whose samples validate, with goldens."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft4Validator

from app.generators.event_schemas import event_schema_files
from tests.generators.diagrams.factories import (
    CASES,
    billing,
    case_id,
    design,
    large,
    load,
    ordering,
)
from tests.generators.diagrams.golden_files import check_goldens

GOLDENS = Path(__file__).resolve().parent / "goldens"


def files(valid) -> dict[str, dict]:
    return {a.path: json.loads(a.content) for a in event_schema_files(valid)}


def pairs(valid):
    found = files(valid)
    for path, schema in found.items():
        if path.endswith(".schema.json"):
            yield path, schema, found[path.replace(".schema.json", ".sample.json")]


def validator(schema: dict) -> Draft4Validator:
    return Draft4Validator(schema, format_checker=Draft4Validator.FORMAT_CHECKER)


@pytest.mark.parametrize("path", CASES, ids=case_id)
def test_every_sample_validates_against_its_schema(path) -> None:
    checked = 0
    for where, schema, sample in pairs(load(path)):
        Draft4Validator.check_schema(schema)
        assert schema["$schema"] == "http://json-schema.org/draft-04/schema#"
        assert list(validator(schema).iter_errors(sample)) == [], where
        checked += 1
    assert checked == len(load(path).of_kind("events"))


def test_large_design_samples_validate() -> None:
    checked = [list(validator(schema).iter_errors(sample)) for _, schema, sample in pairs(large())]
    assert len(checked) == len(large().of_kind("events")) and not any(checked)


def test_envelope_names_source_and_detail_type() -> None:
    valid = design([ordering(), billing()], name="My Shop")
    found = files(valid)
    schema = found["events/OrderPlaced.schema.json"]
    sample = found["events/OrderPlaced.sample.json"]
    assert schema["properties"]["source"]["enum"] == ["myshop.ordering"]
    assert schema["properties"]["detail-type"]["enum"] == ["OrderPlaced"]
    assert sample["source"] == "myshop.ordering" and sample["detail-type"] == "OrderPlaced"
    assert found["events/Charged.sample.json"]["source"] == "myshop.billing"
    detail = schema["definitions"]["OrderPlaced"]
    assert detail["properties"]["placedAt"] == {"type": "string", "format": "date-time"}
    assert detail["properties"]["lines"] == {"type": "array", "items": {"type": "string"}}
    assert detail["additionalProperties"] is False
    cancelled = found["events/OrderCancelled.schema.json"]["definitions"]["OrderCancelled"]
    assert cancelled["required"] == ["orderId"]  # reason is optional


def test_schema_rejects_events_that_break_it() -> None:
    found = files(design([ordering()]))
    schema = found["events/OrderPlaced.schema.json"]
    sample = found["events/OrderPlaced.sample.json"]
    check = validator(schema)
    assert not check.is_valid({**sample, "detail-type": "OrderCancelled"})
    assert not check.is_valid({**sample, "detail": {**sample["detail"], "total": 1.5}})
    broken = dict(sample["detail"])
    del broken["orderId"]
    assert not check.is_valid({**sample, "detail": broken})


def test_an_event_without_fields_has_an_empty_detail() -> None:
    found = files(design([ordering()]))
    assert found["events/OrderShipped.sample.json"]["detail"] == {}
    assert validator(found["events/OrderShipped.schema.json"]).is_valid(
        found["events/OrderShipped.sample.json"]
    )


@pytest.mark.parametrize("path", CASES, ids=case_id)
def test_event_files_match_goldens(path) -> None:
    actual = {a.path: a.content.decode() for a in event_schema_files(load(path))}
    check_goldens(GOLDENS / case_id(path), actual, "tests/generators/events")
