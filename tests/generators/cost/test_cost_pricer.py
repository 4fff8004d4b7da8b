"""One test per price rule, with the expected figures worked out by hand in the test."""

from __future__ import annotations

import textwrap

import pytest

from app.generators.cost.estimate import price_usage, price_usage_text
from app.generators.cost.pricer import billed_size_mb, payload_chunks, rounded_ms
from app.generators.cost.prices import price_list
from app.model import DesignError


def usage(*lines: dict, free_tier: bool = False, region: str = "us-east-1") -> float:
    return price_usage({"region": region, "free_tier": free_tier, "lines": list(lines)}).total


def line(service: str, usage_type: str, quantity: float, unit: str, **extra: object) -> dict:
    return {
        "service": service,
        "usage_type": usage_type,
        "quantity": quantity,
        "unit": unit,
        **extra,
    }


# --- tiers -----------------------------------------------------------------------------------


def test_http_api_tier_boundary_at_300_million() -> None:
    # exactly 300 M: all in the first tier, 300 x $1.00
    assert usage(line("api_gateway", "http-requests", 300e6, "requests")) == pytest.approx(300.0)
    # one million more: 300 x $1.00 + 1 x $0.90
    assert usage(line("api_gateway", "http-requests", 301e6, "requests")) == pytest.approx(300.9)


def test_rest_api_three_tiers() -> None:
    # 333 M x $3.50 = 1165.50; 667 M x $2.80 = 1867.60; 1000 M x $2.38 = 2380.00
    total = usage(line("api_gateway", "rest-requests", 2e9, "requests"))
    assert total == pytest.approx(1165.5 + 1867.6 + 2380.0)


def test_tiers_apply_to_the_month_across_lines() -> None:
    # two APIs of 200 M each: 300 M at $1.00 + 100 M at $0.90 = 390, not 2 x 200
    two = usage(
        line("api_gateway", "http-requests", 200e6, "requests", resource="a"),
        line("api_gateway", "http-requests", 200e6, "requests", resource="b"),
    )
    assert two == pytest.approx(390.0)


def test_lambda_duration_second_tier_after_6_billion_gb_seconds() -> None:
    # 7 B GB-s x86: 6e9 x 0.0000166667 = 100000.2; 1e9 x 0.000015 = 15000
    total = usage(line("lambda", "duration-x86_64", 7e9, "GB-seconds"))
    assert total == pytest.approx(100000.2 + 15000.0)


def test_express_duration_gb_hour_tiers() -> None:
    # 6000 GB-h: 1000 x 0.06 = 60; 4000 x 0.03 = 120; 1000 x 0.01642 = 16.42
    total = usage(line("step_functions", "express-duration", 6000, "GB-hours"))
    assert total == pytest.approx(196.42)


def test_custom_metrics_second_tier() -> None:
    # 10,010 metrics: 10,000 x 0.30 = 3000; 10 x 0.10 = 1
    assert usage(line("cloudwatch", "custom-metrics", 10010, "metrics")) == pytest.approx(3001.0)


# --- chunking ----------------------------------------------------------------------------------


def test_payload_chunks_count_every_started_chunk() -> None:
    assert payload_chunks(1, 64) == 1
    assert payload_chunks(64, 64) == 1
    assert payload_chunks(64.5, 64) == 2
    assert payload_chunks(256, 64) == 4
    # Lambda asynchronous events: one request up to 256 KB, then one more per 64 KB
    assert payload_chunks(256, 64, 256) == 1
    assert payload_chunks(300, 64, 256) == 2


def test_eventbridge_64_kb_chunks() -> None:
    # 1 M events of 256 KB = 4 M billed events x $1.00/M
    assert usage(line("eventbridge", "custom-events", 1e6, "events", size_kb=256)) == (
        pytest.approx(4.0)
    )
    # 65 KB is two chunks: 2 M x $1.00/M
    assert usage(line("eventbridge", "custom-events", 1e6, "events", size_kb=65)) == (
        pytest.approx(2.0)
    )


def test_sqs_64_kb_chunks() -> None:
    # 10 M requests of 100 KB = 2 chunks each = 20 M x $0.40/M = 8.00
    assert usage(line("sqs", "standard-requests", 10e6, "requests", size_kb=100)) == (
        pytest.approx(8.0)
    )


def test_http_api_512_kb_metering() -> None:
    # 1 M requests of 600 KB = 2 increments each: 2 M x $1.00/M; 512 KB is still one
    assert usage(line("api_gateway", "http-requests", 1e6, "requests", size_kb=600)) == (
        pytest.approx(2.0)
    )
    assert usage(line("api_gateway", "http-requests", 1e6, "requests", size_kb=512)) == (
        pytest.approx(1.0)
    )


def test_websocket_32_kb_metering() -> None:
    # 1 M messages of 33 KB = 2 increments: 2 M x $1.00/M
    assert usage(line("api_gateway", "websocket-messages", 1e6, "messages", size_kb=33)) == (
        pytest.approx(2.0)
    )


def test_dynamodb_request_units_from_item_size() -> None:
    # reads of 9 KB: 3 x 4 KB units; eventually consistent: half: 1.5 RRU; 1 M reads = 1.5 M RRU
    # x $0.125/M = 0.1875
    assert usage(line("dynamodb", "read-request-units", 1e6, "reads", size_kb=9, factor=0.5)) == (
        pytest.approx(0.1875)
    )
    # writes of 2.5 KB: 3 WRU; 1 M writes = 3 M WRU x $0.625/M = 1.875
    assert usage(line("dynamodb", "write-request-units", 1e6, "writes", size_kb=2.5)) == (
        pytest.approx(1.875)
    )


# --- duration and memory -------------------------------------------------------------------------


def test_duration_rounding() -> None:
    assert rounded_ms(120.2, 1) == 121
    assert rounded_ms(120.0, 1) == 120
    assert rounded_ms(101, 100, 100) == 200
    assert rounded_ms(30, 100, 100) == 100


def test_lambda_rounds_each_invocation_up_to_1_ms() -> None:
    # 1 M x 10.2 ms -> 11 ms x 1 GB = 11,000 GB-s x 0.0000166667 = 0.1833337
    total = usage(
        line("lambda", "duration-x86_64", 1e6, "requests", duration_ms=10.2, memory_mb=1024)
    )
    assert total == pytest.approx(11000 * 0.0000166667)


def test_express_rounds_to_100_ms_and_64_mb() -> None:
    assert billed_size_mb(65, 64) == 128
    assert billed_size_mb(64, 64) == 64
    # 1 M executions of 150 ms at 100 MB: 200 ms x 128 MB = 1e6 x 0.2 s x 0.125 GB = 25,000 GB-s
    # = 6.9444 GB-h x $0.06 = 0.41667
    total = usage(
        line(
            "step_functions", "express-duration", 1e6, "executions", duration_ms=150, memory_mb=100
        )
    )
    assert total == pytest.approx(25000 / 3600 * 0.06)


def test_express_minimum_billed_duration_is_100_ms() -> None:
    # 3.6 M executions of 20 ms at 64 MB: 100 ms each: 3.6e6 x 0.1 x 0.0625 = 22,500 GB-s
    # = 6.25 GB-h x 0.06 = 0.375
    total = usage(
        line(
            "step_functions", "express-duration", 3.6e6, "executions", duration_ms=20, memory_mb=64
        )
    )
    assert total == pytest.approx(0.375)


def test_ephemeral_storage_bills_above_512_mb() -> None:
    # 1 M x 1 s with 10,240 MB: (10,240 - 512) / 1024 = 9.5 GB x 1e6 s = 9.5e6 GB-s x 3.09e-8
    total = usage(
        line("lambda", "ephemeral-storage", 1e6, "requests", duration_ms=1000, storage_mb=10240)
    )
    assert total == pytest.approx(9.5e6 * 3.09e-8)


def test_provisioned_capacity_hours_default_to_the_month() -> None:
    # 10 WCU all month: 7,300 WCU-hours x $0.00065 = 4.745
    assert usage(line("dynamodb", "write-capacity-units", 10, "WCU")) == pytest.approx(4.745)
    assert usage(line("dynamodb", "write-capacity-units", 10, "WCU", hours=100)) == (
        pytest.approx(0.65)
    )


# --- free tier ---------------------------------------------------------------------------------


def test_free_tier_comes_off_before_the_tiers() -> None:
    # Step Functions: 10,000 transitions - 4,000 free = 6,000 x $0.025/1000 = 0.15
    assert usage(
        line("step_functions", "standard-transitions", 10000, "transitions"), free_tier=True
    ) == pytest.approx(0.15)
    assert usage(line("step_functions", "standard-transitions", 10000, "transitions")) == (
        pytest.approx(0.25)
    )


def test_free_pool_is_shared_between_architectures() -> None:
    # 300,000 GB-s x86 uses 300,000 of the 400,000 free; arm64 300,000 - 100,000 = 200,000
    # x 0.0000133334 = 2.66668
    total = usage(
        line("lambda", "duration-x86_64", 300000, "GB-seconds"),
        line("lambda", "duration-arm64", 300000, "GB-seconds"),
        free_tier=True,
    )
    assert total == pytest.approx(200000 * 0.0000133334)


def test_a_line_can_stay_out_of_the_free_tier() -> None:
    total = usage(line("lambda", "requests", 1e6, "requests", free_tier=False), free_tier=True)
    assert total == pytest.approx(0.2)


def test_free_share_is_split_among_lines_in_proportion() -> None:
    estimate = price_usage(
        {
            "region": "us-east-1",
            "lines": [
                line("lambda", "requests", 3e6, "requests", resource="a"),
                line("lambda", "requests", 1e6, "requests", resource="b"),
            ],
        }
    )
    # 4 M - 1 M free = 3 M x $0.20/M = 0.60, shared 3:1
    assert [p.usd for p in estimate.lines] == pytest.approx([0.45, 0.15])
    assert [p.free for p in estimate.lines] == pytest.approx([750000, 250000])
    assert estimate.total_without_free_tier == pytest.approx(0.8)


# --- units and errors --------------------------------------------------------------------------


def test_data_sizes_use_1024() -> None:
    # 1,048,576 KB = 1 GB of log ingestion at $0.50
    assert usage(line("cloudwatch", "log-ingestion", 1024 * 1024, "KB")) == pytest.approx(0.5)


def test_other_region_has_its_own_prices() -> None:
    assert price_list("eu-west-1").usage_type("api_gateway", "http-requests") is not None
    assert usage(line("api_gateway", "http-requests", 1e6, "requests"), region="eu-west-1") != (
        usage(line("api_gateway", "http-requests", 1e6, "requests"))
    )


def test_every_catalog_price_has_source_date_and_grade() -> None:
    for region in ("us-east-1", "eu-west-1"):
        for service in price_list(region).services.values():
            for ut in service.usage_types.values():
                assert "https://" in ut.source or "Price List" in ut.source, ut
                assert ut.as_of and ut.confidence in ("A", "B", "C"), ut


def test_unknown_usage_type_and_bad_unit_are_located() -> None:
    with pytest.raises(DesignError) as caught:
        price_usage(
            {
                "region": "us-east-1",
                "lines": [
                    line("lambda", "requests", 1, "requests"),
                    line("lambda", "nope", 1, "requests"),
                    line("lambda", "duration-arm64", 1, "requests"),
                ],
            }
        )
    paths = [p.path for p in caught.value.problems]
    assert paths == ["lines[1].usage_type", "lines[2]"]


def test_unknown_region_and_bad_fields_are_user_errors() -> None:
    with pytest.raises(DesignError, match="priced regions"):
        price_usage({"region": "xx-nowhere-1", "lines": []})
    with pytest.raises(DesignError) as caught:
        price_usage({"region": "us-east-1", "lines": [{"service": "lambda", "quantity": -1}]})
    assert "lines[0].quantity" in [p.path for p in caught.value.problems]


def test_capacity_and_connections_over_time() -> None:
    # 1,000 WebSocket connections open 360 hours: 21.6 M connection-minutes x $0.25/M = 5.40
    assert usage(
        line("api_gateway", "websocket-connection-minutes", 1000, "connections", hours=360)
    ) == pytest.approx(5.4)
    # 2 shards all month: 1,460 shard-hours x $0.015
    assert usage(line("kinesis", "shard-hours", 2, "shards")) == pytest.approx(21.9)


def test_lambda_at_edge_priced_per_128_mb_second() -> None:
    # 10 M requests of 50 ms at 128 MB: 10e6 x 0.05 s x 0.125 GB = 62,500 GB-s x 0.00005001
    # = 3.125625; requests 10 x $0.60 = 6.00
    total = usage(
        line("lambda", "edge-requests", 10e6, "requests"),
        line("lambda", "edge-duration", 10e6, "requests", duration_ms=50, memory_mb=128),
    )
    assert total == pytest.approx(6.0 + 62_500 * 0.00005001)


def test_vended_logs_tiers_in_terabytes_of_1024_gb() -> None:
    # 20 TB: 10,240 GB x 0.50 + 10,240 GB x 0.25 = 5,120 + 2,560
    assert usage(line("cloudwatch", "vended-log-ingestion", 20, "TB")) == pytest.approx(7680.0)


def test_the_documented_usage_format_prices() -> None:
    from app.generators.cost import usage_file

    doc = usage_file.__doc__ or ""
    example = doc.split("Format (YAML or the same data as JSON)::", 1)[1].split("\n\nUnits:")[0]
    estimate = price_usage_text(textwrap.dedent(example))
    # 3 M x 0.12 s x 1.5 GB = 540,000 GB-s - 400,000 free = 140,000 x 0.0000166667
    assert estimate.total == pytest.approx(140_000 * 0.0000166667)


def test_usage_text_problems_carry_their_line() -> None:
    text = "region: us-east-1\nlines:\n  - service: lambda\n    usage_type: requests\n"
    with pytest.raises(DesignError) as caught:
        price_usage_text(text)
    problems = {p.path: p.line for p in caught.value.problems}
    assert problems["lines[0].quantity"] == 3
