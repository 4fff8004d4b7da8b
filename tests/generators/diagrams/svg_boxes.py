"""Reads Graphviz SVG back: the box of every node and the place of every text line in it."""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTFont

SVG = "{http://www.w3.org/2000/svg}"
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e-?\d+)?")
FONTS = {False: "DejaVuSans.ttf", True: "DejaVuSans-Bold.ttf"}
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
"""Debian's fonts-dejavu-core, the font the diagrams name (Graphviz measured with it too)."""


@cache
def _advances(bold: bool) -> tuple[dict[int, str], dict[str, int], int]:
    with TTFont(FONT_DIR / FONTS[bold]) as font:
        metrics = {name: advance for name, (advance, _) in font["hmtx"].metrics.items()}
        return dict(font.getBestCmap()), metrics, font["head"].unitsPerEm


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    right: float
    bottom: float

    def overlaps(self, other: Box, slack: float = 0.5) -> bool:
        return not (
            self.right <= other.left + slack
            or other.right <= self.left + slack
            or self.bottom <= other.top + slack
            or other.bottom <= self.top + slack
        )

    def contains(self, other: Box, slack: float = 1.5) -> bool:
        return (
            other.left >= self.left - slack
            and other.right <= self.right + slack
            and other.top >= self.top - slack
            and other.bottom <= self.bottom + slack
        )


@dataclass(frozen=True)
class DrawnNode:
    node_id: str
    box: Box
    texts: list[tuple[str, Box]]


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width of a text line in DejaVu Sans; characters it lacks (CJK, emoji) count one em."""
    cmap, advances, per_em = _advances(bold)
    ems = 0.0
    for ch in text:
        glyph = cmap.get(ord(ch))
        if glyph is None or unicodedata.east_asian_width(ch) in "WF":
            ems += 1.0
        else:
            ems += advances[glyph] / per_em
    return ems * size


def drawn_nodes(svg: bytes) -> list[DrawnNode]:
    root = ET.fromstring(svg)
    nodes = []
    for group in root.iter(f"{SVG}g"):
        if group.get("class") != "node":
            continue
        points: list[tuple[float, float]] = []
        texts: list[tuple[str, Box]] = []
        for element in group.iter():
            tag = element.tag.removeprefix(SVG)
            if tag in ("polygon", "polyline"):
                numbers = [float(n) for n in _NUMBER.findall(element.get("points", ""))]
                points += list(zip(numbers[::2], numbers[1::2], strict=False))
            elif tag == "path":
                numbers = [float(n) for n in _NUMBER.findall(element.get("d", ""))]
                points += list(zip(numbers[::2], numbers[1::2], strict=False))
            elif tag == "ellipse":
                cx, cy = float(element.get("cx", 0)), float(element.get("cy", 0))
                rx, ry = float(element.get("rx", 0)), float(element.get("ry", 0))
                points += [(cx - rx, cy - ry), (cx + rx, cy + ry)]
            elif tag == "text" and (element.text or "").strip():
                size = float(element.get("font-size", 14))
                width = text_width(element.text or "", size, element.get("font-weight") == "bold")
                x, y = float(element.get("x", 0)), float(element.get("y", 0))
                anchor = element.get("text-anchor", "start")
                left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
                texts.append(
                    (element.text or "", Box(left, y - 0.75 * size, left + width, y + 0.2 * size))
                )
        if points:
            xs, ys = [p[0] for p in points], [p[1] for p in points]
            nodes.append(
                DrawnNode(group.get("id", ""), Box(min(xs), min(ys), max(xs), max(ys)), texts)
            )
    return nodes


def readability_problems(svg: bytes) -> list[str]:
    """Labels that stick out of their node, and nodes whose boxes overlap."""
    problems = []
    nodes = drawn_nodes(svg)
    for node in nodes:
        for text, box in node.texts:
            if not node.box.contains(box):
                problems.append(f"{node.node_id}: {text!r} is clipped by its box")
    ordered = sorted(nodes, key=lambda n: n.box.left)
    for i, node in enumerate(ordered):
        for other in ordered[i + 1 :]:
            if other.box.left >= node.box.right:
                break
            if node.box.overlaps(other.box):
                problems.append(f"{node.node_id} overlaps {other.node_id}")
    return problems
