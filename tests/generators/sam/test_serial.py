"""The template's YAML writer: every string reads back as itself, and no anchors appear."""

from __future__ import annotations

import yaml

from app.generators.sam.serial import plain_yaml

AWKWARD = [
    "x: y", "#c", "a #b", " lead", "trail ", "yes", "no", "on", "1.5", "0x1f", "1_000",
    "2001-01-01", "- d", "[x]", "{y}", "*", "&a", "!t", "|", ">", "%", "@", "`", "'q'",
    '"dq"', "a\nb\n",
    "a\nb", "multi\n\nline\n", "a\n b", "  lead\nx", "tab\tin", "\u2028", "é", "\x00", ":",
    "null", "~", "=", "<<", "", "${AWS::StackName}-bus", "arn:aws:s3:::b/*", "a\\b",
    "ends with newline\n\n", "\n", "<script>alert(1)</script>", "注文",
]  # fmt: skip


def test_awkward_strings_read_back_as_themselves() -> None:
    data = {
        "Strings": AWKWARD,
        "Keys": {text: text for text in AWKWARD},
        "Numbers": [0, -3, 1.0, 0.1, 1e20, True, False, None],
        "Empty": {"map": {}, "list": []},
        "Nested": [[1, [2]], {"a": [1], "b": {"c": [{"d": 1, "e": ["x"]}]}}],
    }
    text = plain_yaml(data)
    assert yaml.safe_load(text) == data
    assert list(yaml.safe_load(text)) == list(data)  # key order kept


def test_shared_values_are_written_out_not_anchored() -> None:
    shared = {"source": ["shop.ordering"], "detail-type": ["Order placed"]}
    text = plain_yaml({"RuleA": {"Pattern": shared}, "RuleB": {"Pattern": shared}})
    assert "&id" not in text and "*id" not in text
    assert text.count("detail-type:") == 2


def test_what_it_does_not_write_goes_through_pyyaml() -> None:
    long_key = "k" * 1200
    assert yaml.safe_load(plain_yaml({long_key: 1})) == {long_key: 1}
    assert yaml.safe_load(plain_yaml({"when": 1.5, 3: "int key"})) == {"when": 1.5, 3: "int key"}
