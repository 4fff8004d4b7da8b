"""Artifact previews for the studio: each tab's artifacts, generated once per design content.

Generation runs only when a tab asks for it, never inside an edit, and its result is cached by
the storm file's content hash, so an unchanged design is never generated twice. A generator
that is not installed yet, or that fails, leaves its tab saying so plainly.
"""

from __future__ import annotations

import importlib
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from app.generators.output import Artifact
from app.generators.registry import GENERATORS
from app.model import DesignError, ValidDesign, load_design, parse_design, validate
from app.services.designs import generate
from app.services.documents import DOCUMENTS, content_digest
from app.services.export import zip_artifacts

logger = logging.getLogger(__name__)

Generator = Callable[[ValidDesign], Iterable[Artifact]]

# Failures a generator still under construction can raise; a tab reports them as "not
# generated yet" (and the log keeps the traceback), so one unfinished generator cannot
# break the studio.
GENERATOR_FAILURES = (
    DesignError,
    ImportError,
    AttributeError,
    LookupError,
    TypeError,
    ValueError,
    RuntimeError,
    OSError,
    ArithmeticError,
    AssertionError,
)


@dataclass(frozen=True)
class Tab:
    """One preview tab: its title, the registry name and module of its generator."""

    slug: str
    title: str
    registry_name: str
    module: str
    function: str
    explains: str


TABS: tuple[Tab, ...] = (
    Tab(
        "diagrams",
        "Diagrams",
        "diagrams",
        "app.generators.diagrams",
        "diagram_files",
        "Event flow, context map, entities and state machines.",
    ),
    Tab(
        "table",
        "Table plan",
        "table",
        "app.generators.table",
        "table_files",
        "The single DynamoDB table: keys, indexes and how each access pattern reads it.",
    ),
    Tab(
        "workflows",
        "Workflows",
        "workflows",
        "app.generators.workflows",
        "workflow_files",
        "Step Functions state machines (ASL).",
    ),
    Tab(
        "api",
        "API",
        "api",
        "app.generators.api",
        "openapi_files",
        "The OpenAPI document of the design's routes.",
    ),
    Tab(
        "cost",
        "Cost",
        "cost",
        "app.generators.cost",
        "cost_files",
        "The monthly cost estimate from the traffic flow.",
    ),
    Tab(
        "review",
        "Review",
        "review",
        "app.review",
        "review_files",
        "Findings of the design review rules.",
    ),
    Tab(
        "export",
        "Export",
        "",
        "",
        "",
        "The deployable AWS SAM repository, and every generated file.",
    ),
)
TABS_BY_SLUG = {tab.slug: tab for tab in TABS}


@dataclass(frozen=True)
class Preview:
    """What a tab shows: its files, or why there are none."""

    tab: Tab
    status: str  # "ready", "invalid" (design has problems) or "missing" (not generated yet)
    artifacts: tuple[Artifact, ...] = ()
    message: str = ""


def generator_of(tab: Tab) -> Generator | None:
    """The tab's generator: the registered one, else its module's, else None."""
    if tab.registry_name in GENERATORS:
        return GENERATORS[tab.registry_name]
    try:
        module = importlib.import_module(tab.module)
    except ImportError:
        return None
    found = getattr(module, tab.function, None)
    return found if callable(found) else None


class PreviewCache:
    """Previews by (content hash, tab), the most recent few kept; one generation at a time."""

    def __init__(self, size: int = 96) -> None:
        self._previews: OrderedDict[tuple[str, str], Preview] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()
        self._generating: dict[tuple[str, str], threading.Lock] = {}

    def get(self, digest: str, slug: str, text: str) -> Preview:
        key = (digest, slug)
        with self._lock:
            if key in self._previews:
                self._previews.move_to_end(key)
                return self._previews[key]
            gate = self._generating.setdefault(key, threading.Lock())
        with gate:
            with self._lock:
                if key in self._previews:
                    return self._previews[key]
            preview = build_preview(text, TABS_BY_SLUG[slug])
            with self._lock:
                self._previews[key] = preview
                self._generating.pop(key, None)
                while len(self._previews) > self._size:
                    self._previews.popitem(last=False)
            return preview


CACHE = PreviewCache()
_VALID: OrderedDict[str, ValidDesign | DesignError] = OrderedDict()
_VALID_LOCK = threading.Lock()


def validated(digest: str, text: str) -> ValidDesign | DesignError:
    """The validated design of a storm file, or its problems; cached by content hash."""
    with _VALID_LOCK:
        if digest in _VALID:
            _VALID.move_to_end(digest)
            return _VALID[digest]
    result: ValidDesign | DesignError
    known = DOCUMENTS.data_of(digest)
    try:
        # A document this process holds is already parsed: validate its data, skipping the
        # YAML (most of the work on a big design); problems are located from the text.
        result = validate(parse_design(known), known) if known is not None else load_design(text)
    except DesignError:
        try:
            result = load_design(text)
        except DesignError as exc:
            result = exc
    with _VALID_LOCK:
        _VALID[digest] = result
        while len(_VALID) > 16:
            _VALID.popitem(last=False)
    return result


def build_preview(text: str, tab: Tab) -> Preview:
    """Generate one tab's artifacts for a storm file (the uncached work)."""
    valid = validated(content_digest(text), text)
    if isinstance(valid, DesignError):
        count = len(valid.problems)
        return Preview(
            tab,
            "invalid",
            message=f"The design has {count} problem"
            f"{'s' if count != 1 else ''} to fix before this can be generated.",
        )
    try:
        if tab.slug == "export":
            artifacts = tuple(generate(valid))
        else:
            generator = generator_of(tab)
            if generator is None:
                return Preview(
                    tab,
                    "missing",
                    message=f"{tab.title} are not generated yet: "
                    "this studio does not have that generator installed.",
                )
            artifacts = tuple(sorted(generator(valid), key=lambda a: a.path))
    except GENERATOR_FAILURES as exc:
        logger.warning("the %s preview failed", tab.slug, exc_info=exc)
        return Preview(
            tab,
            "missing",
            message=f"{tab.title} are not generated yet: the "
            f"generator could not finish ({type(exc).__name__}).",
        )
    if not artifacts:
        return Preview(
            tab, "missing", message=f"{tab.title}: nothing to generate for this design yet."
        )
    return Preview(tab, "ready", artifacts)


def preview(digest: str, text: str, slug: str) -> Preview:
    """The preview of one tab for a storm file with this content hash."""
    return CACHE.get(digest, slug, text)


def find_artifact(digest: str, text: str, path: str) -> Artifact | None:
    """One generated file by path, from whichever tab makes it."""
    folder = path.split("/", 1)[0]
    tab = TABS_BY_SLUG.get(folder, TABS_BY_SLUG["export"])
    return _in(preview(digest, text, tab.slug), path) or _in(preview(digest, text, "export"), path)


def _in(found: Preview, path: str) -> Artifact | None:
    return next((a for a in found.artifacts if a.path == path), None)


def export_archive(digest: str, text: str, name: str) -> bytes | None:
    """Every generated file as a zip archive, or None when the design cannot be generated."""
    found = preview(digest, text, "export")
    if found.status != "ready":
        return None
    return zip_artifacts(found.artifacts, name)
