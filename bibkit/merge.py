"""One record from several: the same article met in a page dump, a MEDLINE file and an XML file.

Records are the same work when they share a PMID or a DOI (DOIs compare case-insensitively).
Merging goes field by field: the more complete value wins, list fields are united without
repeats, and every field remembers the input it came from (``Citation.field_sources``).
"""

from __future__ import annotations

import bisect
import itertools
from array import array
from collections.abc import Hashable, Iterable, Iterator, Sequence
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from bibkit.model import Citation, PartialDate, Person, Provenance, Relation

_Item = TypeVar("_Item", bound=Hashable)
_NOT_MERGED = frozenset({"id", "provenance", "field_sources", "merged_from"})
_PEOPLE = frozenset({"author", "editor", "investigators"})
_MERGED_FIELDS = tuple(name for name in Citation.model_fields if name not in _NOT_MERGED)


def identities(citation: Citation) -> list[str]:
    """The identifiers that make two records the same work."""
    return identities_of(citation.PMID, citation.DOI)


def identities_of(pmid: str | None, doi: str | None) -> list[str]:
    found = []
    if pmid:
        found.append(f"pmid:{pmid.strip()}")
    if doi:
        found.append(f"doi:{doi.strip().lower()}")
    return found


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _completeness(value: Any) -> int:
    """A rough measure of how much a value says, to pick the better of two."""
    if isinstance(value, PartialDate):
        return len(value.parts()) * 2 + (value.end is not None) - (value.literal is not None)
    if isinstance(value, list):
        return sum(1 + _completeness(item) for item in value)
    if isinstance(value, Person):
        return sum(not _is_empty(v) for v in value.__dict__.values()) + len(value.affiliations)
    if isinstance(value, str):
        return len(value)
    return 0 if value is None else 1


def _marker(item: Any) -> Any:
    """What tells two list items apart: their data, in a form a set can hold. A relation is
    told by its kind and the identifier of the work it links to, since two exports word the
    same link differently (MEDLINE's ``CIN`` line, XML's ``RefSource``)."""
    if isinstance(item, Relation):
        work = item.citation
        if work.PMID:
            return (item.kind, "pmid", work.PMID.strip())
        if work.DOI:
            return (item.kind, "doi", work.DOI.strip().lower())
    return item.model_dump_json() if isinstance(item, BaseModel) else item


def _relation_score(item: Any) -> int:
    """How much a relation says of its work, to keep the fuller of two twins' links."""
    if not isinstance(item, Relation):
        return 0
    fields = item.citation.model_dump(exclude_defaults=True)
    return _completeness(list(fields.values())) + len(item.text or "")


class _Union:
    """A list field united from several records: items in order of first appearance; an
    item met again keeps the fuller form (relations)."""

    def __init__(self, first: list[Any], origin: Citation) -> None:
        self.items = list(first)
        self.where = {_marker(item): at for at, item in enumerate(self.items)}
        self.origins = [origin]

    def add(self, items: list[Any], origin: Citation) -> None:
        added = False
        for item in items:
            marker = _marker(item)
            at = self.where.get(marker)
            if at is None:
                self.where[marker] = len(self.items)
                self.items.append(item)
                added = True
            elif isinstance(item, Relation) and (
                _relation_score(item) > _relation_score(self.items[at])
            ):
                self.items[at] = item
                added = True
        if added:  # each record adds once: no origin comes twice
            self.origins.append(origin)


def _sources(citation: Citation, field: str) -> list[Provenance]:
    found = citation.field_sources.get(field)
    if found is not None:
        return found
    return [citation.provenance] if citation.provenance is not None else []


def _inputs(citation: Citation) -> list[Provenance]:
    if citation.merged_from:
        return citation.merged_from
    return [citation.provenance] if citation.provenance is not None else []


def merge_pair(kept: Citation, other: Citation) -> Citation:
    """``kept`` enriched by ``other``; on equal completeness ``kept`` wins (input order)."""
    return merge_all([kept, other])


def merge_all(records: Iterable[Citation]) -> Citation:
    """The records merged in order, each field decided in one walk over the records: a
    thousand twins cost a thousand steps, not the million it takes to compare each growing
    list with the next record's again. On equal completeness the earlier record wins."""
    group = list(records)
    first = group[0]
    if len(group) == 1:
        return first
    updates: dict[str, Any] = {}
    sources = dict(first.field_sources)
    for name in _MERGED_FIELDS:
        value, origins = _decide(name, first, group)
        if value is not getattr(first, name):
            updates[name] = value
        found = [where for origin in origins for where in _sources(origin, name)]
        if found and not _is_empty(value):
            sources[name] = _once(found)
    merged = first.model_copy(update=updates)
    merged.field_sources = sources
    merged.merged_from = _once([where for record in group for where in _inputs(record)])
    return merged


def _once(places: list[Provenance]) -> list[Provenance]:
    """Each input once, in order (records of one file at different lines stay apart)."""
    seen: set[tuple[str, int | None, str]] = set()
    kept = []
    for place in places:
        key = (place.path, place.line, place.format)
        if key not in seen:
            seen.add(key)
            kept.append(place)
    return kept


def _decide(name: str, first: Citation, group: list[Citation]) -> tuple[Any, list[Citation]]:
    """One field of merged records, and the records its value comes from."""
    value, origin = getattr(first, name), first
    union: _Union | None = None
    uniting = name not in _PEOPLE
    score: int | None = None
    for other in group[1:]:
        theirs = getattr(other, name)
        if _is_empty(theirs):
            continue
        if _is_empty(value):
            value, origin, score = theirs, other, None
        elif isinstance(value, list) and uniting:
            if union is None:
                union = _Union(value, origin)
            union.add(theirs, other)
        else:
            score = _completeness(value) if score is None else score
            theirs_score = _completeness(theirs)
            if theirs_score > score:
                value, origin, score = theirs, other, theirs_score
    if union is not None and len(union.origins) > 1:
        return union.items, union.origins
    return value, [origin]


class _Groups(Generic[_Item]):
    """Union-find: records sharing any identifier fall into one group."""

    def __init__(self) -> None:
        self._parent: dict[_Item, _Item] = {}

    def find(self, item: _Item) -> _Item:
        parent = self._parent.setdefault(item, item)
        while parent != item:
            grand = self._parent.setdefault(parent, parent)
            self._parent[item] = grand
            item, parent = parent, grand
        return item

    def union(self, items: Sequence[_Item]) -> None:
        roots = [self.find(i) for i in items]
        for root in roots[1:]:
            self._parent[root] = roots[0]


def _holds(ordered: array[int], value: int) -> bool:
    at = bisect.bisect_left(ordered, value)
    return at < len(ordered) and ordered[at] == value


def _digests(ids: list[str]) -> tuple[int, int]:
    """A record's identifiers (at most a PMID and a DOI) as two numbers, 0 for none.

    Pass one keeps numbers, not strings: 24 bytes a record instead of about 400, so the
    tables for a million records take tens of MB, not hundreds. Two identifiers may share a
    number by chance (for a million records, odds of about one in ten million); that only makes
    pass two hold records it then finds are no twins."""
    first = hash(ids[0]) if ids else 0
    return first, hash(ids[1]) if len(ids) > 1 else 0


class Deduplicator:
    """Merges duplicates in two passes so that only the duplicates are ever held in memory.

    Pass one (``count``) sees every record's identifiers, from the records themselves or
    from a reader's quick scan of them; pass two (``run``) yields each record that has no
    twin at once, and each group of twins merged as soon as its last member arrives. Both
    passes run in one process (identifiers are kept as ``hash`` values).

    Pass two trusts pass one only as far as it must: twins are merged by the identifiers the
    records really hold, so a scan that linked too much only delays records, and a record
    whose identifiers pass one never saw together is counted in ``unforeseen`` (its twins,
    if any, cannot be merged any more) rather than passing unnoticed.
    """

    def __init__(self) -> None:
        self._slots = array("q")
        """Pass one: each record's two identifier digests, in input order."""
        self._together = array("q")
        """Pass one: a digest of each record's identifiers together (sorted when pass two
        starts), to tell a record pass one saw from one it did not."""
        self._known = array("q")
        """Every identifier digest of pass one, sorted when pass two starts."""
        self._groups: _Groups[int] = _Groups()
        self._sizes: dict[int, int] | None = None
        self._shared: set[int] = set()
        self.unforeseen = 0
        """Records of pass two whose identifiers pass one did not see (together)."""
        self.first_unforeseen: Citation | None = None

    def count(self, citation: Citation) -> None:
        self.count_ids(identities(citation))

    def count_ids(self, ids: list[str]) -> None:
        digests = _digests(ids)
        self._slots.extend(digests)
        self._together.append(hash(digests))

    def _group_sizes(self) -> dict[int, int]:
        """Groups of the identifiers met in more than one record, with their sizes."""
        if self._sizes is None:
            ordered = sorted(self._slots)
            self._shared = {d for d, after in itertools.pairwise(ordered) if d == after and d}
            slots, shared, groups = self._slots, self._shared, self._groups
            self._known = array("q", ordered)
            del ordered
            linked = []
            for at in range(0, len(slots), 2):
                first, second = slots[at], slots[at + 1]
                if first in shared or second in shared:
                    pair = (first, second) if second else (first,)
                    groups.union(pair)
                    linked.append(first)
            sizes: dict[int, int] = {}
            for first in linked:
                root = groups.find(first)
                sizes[root] = sizes.get(root, 0) + 1
            self._sizes = sizes
            self._slots = array("q")
            self._together = array("q", sorted(self._together))
        return self._sizes

    @property
    def duplicates(self) -> int:
        """How many records pass two will fold into others (as pass one counted them)."""
        return sum(size - 1 for size in self._group_sizes().values())

    def _foreseen(self, digests: tuple[int, int]) -> bool:
        """Whether pass one saw these identifiers, and together (in one record, or linked
        through twins): else a twin of this record may have been yielded alone already."""
        first, second = digests
        if not second:
            return _holds(self._known, first)
        if _holds(self._together, hash(digests)):
            return True
        shared = self._shared
        return (
            first in shared
            and second in shared
            and (self._groups.find(first) == self._groups.find(second))
        )

    def _root(self, ids: list[str], citation: Citation) -> int | None:
        digests = _digests(ids)
        if not self._foreseen(digests):
            self.unforeseen += 1
            self.first_unforeseen = self.first_unforeseen or citation
        first, second = digests
        shared = self._shared  # never holds 0, the digest of no identifier
        if first in shared:
            return self._groups.find(first)
        return self._groups.find(second) if second in shared else None

    def run(self, citations: Iterable[Citation]) -> Iterator[Citation]:
        sizes = self._group_sizes()
        pending: dict[int, list[Citation]] = {}
        for citation in citations:
            ids = identities(citation)
            root = self._root(ids, citation) if ids else None
            if root is None or sizes.get(root, 1) <= 1:
                yield citation
                continue
            group = pending.setdefault(root, [])
            group.append(citation)
            if len(group) >= sizes[root]:
                yield from merge_twins(pending.pop(root))
        for group in pending.values():  # only when pass two saw fewer records than pass one
            yield from merge_twins(group)


def merge_twins(records: list[Citation]) -> Iterator[Citation]:
    """The records of one group, twins by their own identifiers merged, each merged record
    where its last member stood (one record when pass one saw right)."""
    groups: _Groups[str] = _Groups()
    for record in records:
        groups.union(identities(record))
    parts: dict[str, list[Citation]] = {}
    for record in records:
        parts.setdefault(groups.find(identities(record)[0]), []).append(record)
    last = {id(record): at for at, record in enumerate(records)}
    for part in sorted(parts.values(), key=lambda part: last[id(part[-1])]):
        yield merge_all(part)
