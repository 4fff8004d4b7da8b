"""Typed, frozen views of the pricing catalog: one price list per region in ``catalog/pricing``.

A price list names, per service, its usage types: what is counted (``unit``), the price per
``per`` units in cumulative monthly ``tiers``, the free-tier quantity kept apart (``free``), and
the metering rule that turns raw usage into billable units (chunks, duration rounding, memory
chunks). Every price carries its source, as-of date and confidence grade.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from app.catalog import CATALOG_DIR
from app.model.errors import DesignError
from app.model.stormfile import parse_yaml

PRICING_DIR = CATALOG_DIR / "pricing"
REGION = re.compile(r"[a-z]{2}(-gov)?-[a-z]+-\d")
_USAGE_TYPE_KEYS = frozenset(
    ("title", "unit", "per", "tiers", "free", "metering", "confidence", "as_of", "note", "source")
)
_METERING_KEYS = frozenset(
    (
        "chunk_kb",
        "first_chunk_kb",
        "round_ms",
        "min_ms",
        "memory_chunk_mb",
        "size_attribute",
        "free_size_mb",
    )
)


class PricingCatalogError(ValueError):
    """A pricing catalog file is malformed (a bug in catalog data, not a user error)."""


@dataclass(frozen=True)
class Tier:
    """One price band: ``price`` per ``per`` units for monthly usage up to ``upto`` (None: all)."""

    upto: float | None
    price: float


@dataclass(frozen=True)
class FreeTier:
    """A monthly free quantity; usage types naming the same ``pool`` share it."""

    quantity: float
    pool: str
    expires: str


@dataclass(frozen=True)
class Metering:
    """How raw usage becomes billable units.

    ``chunk_kb``: each request is billed per started chunk of its payload (``first_chunk_kb``
    when the first chunk is larger); ``round_ms``/``min_ms``: duration rounded up, with a
    minimum; ``memory_chunk_mb``: memory (the line's ``size_attribute``) rounded up to chunks;
    ``free_size_mb``: size not billed (Lambda's first 512 MB of ephemeral storage).
    """

    chunk_kb: float | None = None
    first_chunk_kb: float | None = None
    round_ms: float | None = None
    min_ms: float | None = None
    memory_chunk_mb: float | None = None
    size_attribute: str = "memory_mb"
    free_size_mb: float = 0.0


@dataclass(frozen=True)
class UsageType:
    """One priced usage type of one service (``lambda`` / ``duration-arm64``)."""

    service: str
    name: str
    title: str
    unit: str
    per: float
    tiers: tuple[Tier, ...]
    free: FreeTier | None
    metering: Metering
    source: str
    as_of: str
    confidence: str
    note: str = ""

    @property
    def unit_price(self) -> float:
        """The price of one unit in the first tier."""
        return self.tiers[0].price / self.per


@dataclass(frozen=True)
class ServicePrices:
    name: str
    title: str
    source: str
    usage_types: dict[str, UsageType]


@dataclass(frozen=True)
class PriceList:
    """Every price of one region."""

    region: str
    name: str
    currency: str
    as_of: str
    services: dict[str, ServicePrices]

    @cached_property
    def order(self) -> dict[tuple[str, str], int]:
        """Catalog order of every usage type (free-tier pools are used up in this order)."""
        keys = [(s, u) for s, prices in self.services.items() for u in prices.usage_types]
        return {key: i for i, key in enumerate(keys)}

    def usage_type(self, service: str, name: str) -> UsageType | None:
        prices = self.services.get(service)
        return prices.usage_types.get(name) if prices is not None else None


def _metering(raw: dict[str, Any]) -> Metering:
    def number(key: str) -> float | None:
        return float(raw[key]) if key in raw else None

    return Metering(
        chunk_kb=number("chunk_kb"),
        first_chunk_kb=number("first_chunk_kb"),
        round_ms=number("round_ms"),
        min_ms=number("min_ms"),
        memory_chunk_mb=number("memory_chunk_mb"),
        size_attribute=str(raw.get("size_attribute", "memory_mb")),
        free_size_mb=float(raw.get("free_size_mb", 0.0)),
    )


def _usage_type(service: str, name: str, raw: dict[str, Any], default_source: str) -> UsageType:
    unknown = set(raw) - _USAGE_TYPE_KEYS
    metering = raw.get("metering") or {}
    unknown |= set(metering) - _METERING_KEYS
    if unknown:
        raise PricingCatalogError(f"{service}.{name}: unknown keys {sorted(unknown)}")
    tiers = tuple(
        Tier(None if t.get("upto") is None else float(t["upto"]), float(t["price"]))
        for t in raw["tiers"]
    )
    if not tiers or tiers[-1].upto is not None:
        raise PricingCatalogError(f"{service}.{name}: the last tier must have no 'upto'")
    bounds = [t.upto for t in tiers[:-1] if t.upto is not None]
    if len(bounds) != len(tiers) - 1 or bounds != sorted(bounds):
        raise PricingCatalogError(f"{service}.{name}: tier bounds must rise")
    free = raw.get("free")
    return UsageType(
        service=service,
        name=name,
        title=str(raw.get("title", name)),
        unit=str(raw["unit"]),
        per=float(raw.get("per", 1)),
        tiers=tiers,
        free=FreeTier(
            float(free["quantity"]), str(free.get("pool", name)), str(free.get("expires", "never"))
        )
        if free
        else None,
        metering=_metering(metering),
        source=str(raw.get("source", default_source)),
        as_of=str(raw["as_of"]),
        confidence=str(raw["confidence"]),
        note=" ".join(str(raw.get("note", "")).split()),
    )


def parse_price_list(text: str) -> PriceList:
    """Read one region's pricing YAML."""
    data, _ = parse_yaml(text)
    services = {
        service: ServicePrices(
            service,
            str(raw["title"]),
            str(raw["source"]),
            {
                name: _usage_type(service, name, ut, str(raw["source"]))
                for name, ut in raw["usage_types"].items()
            },
        )
        for service, raw in data["services"].items()
    }
    return PriceList(
        str(data["region"]), str(data["name"]), str(data["currency"]), str(data["as_of"]), services
    )


def regions(directory: Path = PRICING_DIR) -> tuple[str, ...]:
    """The regions the catalog prices."""
    return tuple(sorted(p.name.removesuffix(".yaml") for p in directory.glob("*.yaml")))


@cache
def has_prices(region: str) -> bool:
    """Whether the catalog has a price list for this region."""
    return bool(REGION.fullmatch(region)) and (PRICING_DIR / f"{region}.yaml").is_file()


def price_list(region: str, where: str = "settings.region") -> PriceList:
    """The price list of a region; DesignError (at ``where``) naming the priced regions when
    there is none."""
    if not has_prices(region):
        raise DesignError.one(
            where, f"no prices for region {region!r}; priced regions: {', '.join(regions())}"
        )
    return _price_list(region)


@cache
def _price_list(region: str) -> PriceList:
    return parse_price_list((PRICING_DIR / f"{region}.yaml").read_text(encoding="utf-8"))
