"""Storm documents: a stored design's canonical data, read and written fast for live editing.

A stored storm file is always canonical (written by `dump_design`), so it is read back with the
plain safe loader and treated as the design's canonical data. Dumping reuses the text of every
element that did not change, so an edit on a 700-element design costs one element's dump, not
the whole file's. `canonical_text(data) == dump_design(parse_design(data))` holds for data
built by this module and `app.services.edits` (a test checks it).
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import yaml

from app.model import DesignError, design_data, parse_design
from app.model.stormfile import dump_yaml
from app.services.edits import replay_element

Data = dict[str, Any]
_LOADER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class StormDocument:
    """One revision of a stored design: its canonical data and text."""

    design_id: str
    revision: int
    data: Data
    text: str

    @cached_property
    def digest(self) -> str:
        return content_digest(self.text)


def content_digest(text: str) -> str:
    """The content key of a storm file (caches of previews and problems use it)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class UnreadableDesign(Exception):
    """A stored storm file that is not a design (empty, or written by hand into the store)."""


def data_json(data: Data) -> str:
    """Canonical data as the JSON the store keeps beside the storm file (incremental like
    `canonical_text`: each element's JSON is kept by the identity of its data)."""
    parts = []
    for key, value in data.items():
        if key == "contexts" and isinstance(value, list):
            contexts = ",".join(_context_json(context) for context in value)
            parts.append(f'"contexts":[{contexts}]')
        else:
            parts.append(f"{_json(key)}:{_json(value)}")
    return "{" + ",".join(parts) + "}"


def _context_json(context: Data) -> str:
    parts = []
    for key, value in context.items():
        if isinstance(value, list) and all(isinstance(item, dict) for item in value):
            items = ",".join(_JSON_TEXTS.text(item, _json) for item in value)
            parts.append(f"{_json(key)}:[{items}]")
        else:
            parts.append(f"{_json(key)}:{_json(value)}")
    return "{" + ",".join(parts) + "}"


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def canonical_data(text: str) -> Data:
    """The canonical data of stored storm-file text; canonicalised through the model if needed."""
    try:
        data = yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        raise UnreadableDesign(f"the stored storm file is not YAML: {exc}") from None
    if not isinstance(data, dict) or "name" not in data:
        raise UnreadableDesign("the stored storm file is not a design")
    if data.get("format") != 1 or not all(isinstance(c, dict) for c in data.get("contexts", [])):
        try:
            data = design_data(parse_design(data))
        except DesignError as exc:
            raise UnreadableDesign(str(exc)) from None
    return data


def replayed(data: Data, changes: Iterable[str | None]) -> Data:
    """Stored data with the changes made since replayed in order: each the JSON of its element
    after the change (see `ChangeRecord.element_after`), or None for a change that left the
    data alone (the design deleted or restored)."""
    for after in changes:
        if after is not None:
            data = replay_element(data, json.loads(after))
    return data


class _DumpedTexts:
    """Dumped text of each context head and element, by the identity of its (never mutated)
    data, so only what changed is dumped again."""

    def __init__(self, size: int = 50_000) -> None:
        # A plain dict: reads need no lock (one dict lookup is atomic); when full, start over.
        self._texts: dict[int, tuple[Any, str]] = {}
        self._size = size

    def text(self, node: Any, dump: Any) -> str:
        found = self._texts.get(id(node))
        if found is not None and found[0] is node:
            return found[1]
        text: str = dump(node)
        if len(self._texts) >= self._size:
            self._texts = {}
        # Keeping the data alive keeps its id from being reused by another object.
        self._texts[id(node)] = (node, text)
        return text


_TEXTS = _DumpedTexts()
_JSON_TEXTS = _DumpedTexts()


def _element_text(element: Data) -> str:
    # Dumped at the depth it sits at in the file (an item of a list under a context's key), so
    # long values fold at the same columns as in a whole-file dump; the wrapper line is dropped.
    return dump_yaml([{"k": [element]}]).split("\n", 1)[1]


def _context_text(context: Data) -> str:
    head = {k: v for k, v in context.items() if not isinstance(v, list)}
    lists = [k for k, v in context.items() if isinstance(v, list)]
    if list(context)[: len(head)] != list(head) or not head:
        return dump_yaml([context])  # an unusual key order: dump it whole
    # The head's text is kept under the context itself, which is never mutated.
    parts = [_TEXTS.text(context, lambda _context: dump_yaml([head]))]
    for key in lists:
        items = context[key]
        if not items:
            return dump_yaml([context])
        parts.append(f"  {key}:\n")
        parts += [_TEXTS.text(item, _element_text) for item in items]
    return "".join(parts)


def canonical_text(data: Data) -> str:
    """The storm-file text of canonical data (equal to `dump_yaml(data)`, but incremental).

    Context and element dicts are treated as immutable: edits replace them, never change them
    in place.
    """
    contexts = data.get("contexts")
    if not contexts:
        return dump_yaml(data)
    keys = list(data)
    at = keys.index("contexts")
    head = {k: data[k] for k in keys[:at]}
    tail = {k: data[k] for k in keys[at + 1 :]}
    parts = [dump_yaml(head) if head else "", "contexts:\n"]
    parts += [_context_text(context) for context in contexts]
    if tail:
        parts.append(dump_yaml(tail))
    return "".join(parts)


class DocumentCache:
    """The recent documents of each design this process has read or written: the newest few
    revisions, since a request may still be reading the one before a concurrent save."""

    def __init__(self, size: int = 64, revisions: int = 4) -> None:
        self._documents: OrderedDict[str, dict[int, StormDocument]] = OrderedDict()
        self._size = size
        self._revisions = revisions
        self._lock = threading.Lock()

    def latest(self, design_id: str) -> StormDocument | None:
        """The newest document known for a design, whatever its revision."""
        with self._lock:
            known = self._documents.get(design_id)
            return known[max(known)] if known else None

    def get(self, design_id: str, revision: int) -> StormDocument | None:
        with self._lock:
            document = self._documents.get(design_id, {}).get(revision)
            if document is not None:
                self._documents.move_to_end(design_id)
            return document

    def data_of(self, digest: str) -> Data | None:
        """The canonical data of a document this process holds, by its content digest."""
        with self._lock:
            documents = [d for known in self._documents.values() for d in known.values()]
        return next((d.data for d in documents if d.digest == digest), None)

    def put(self, document: StormDocument) -> None:
        with self._lock:
            known = self._documents.setdefault(document.design_id, {})
            known[document.revision] = document
            while len(known) > self._revisions:
                del known[min(known)]
            self._documents.move_to_end(document.design_id)
            while len(self._documents) > self._size:
                self._documents.popitem(last=False)


DOCUMENTS = DocumentCache()


def _share_unchanged(data: Data, known: Data) -> Data:
    """`data` with every context head and element equal to one in `known` replaced by that
    object, so its dumped text is reused (another instance changed one element, say)."""
    old_elements = {
        e.get("id"): e
        for c in known.get("contexts", [])
        for v in c.values()
        if isinstance(v, list)
        for e in v
        if isinstance(e, dict)
    }
    old_contexts = {c.get("id"): c for c in known.get("contexts", [])}
    contexts = []
    for context in data.get("contexts", []):
        old = old_contexts.get(context.get("id"))
        if old == context:
            contexts.append(old)
            continue
        shared = {}
        for key, value in context.items():
            if isinstance(value, list):
                value = [
                    old_elements[e.get("id")]
                    if isinstance(e, dict) and old_elements.get(e.get("id")) == e
                    else e
                    for e in value
                ]
            shared[key] = value
        contexts.append(shared)
    return {**data, "contexts": contexts} if "contexts" in data else data


def document_of(
    design_id: str, revision: int, text: str | None, data_json: str | None = None
) -> StormDocument:
    """The document of a stored revision, from the cache when this process has it; its data
    from the stored JSON when there is some (a JSON read is far quicker than YAML), and then
    its text, when not given, dumped from that data (reusing the text of every element this
    process has dumped before)."""
    cached = DOCUMENTS.get(design_id, revision)
    if cached is not None:
        return cached
    if text is None and not data_json:
        raise ValueError("a document needs its storm file or its JSON")
    data = json.loads(data_json) if data_json else canonical_data(text or "")
    known = DOCUMENTS.latest(design_id)
    if known is not None:
        data = _share_unchanged(data, known.data)
    document = StormDocument(design_id, revision, data, text or canonical_text(data))
    DOCUMENTS.put(document)
    return document
