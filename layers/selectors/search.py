"""The map's search over every public layer: by name and address, and by what a record is.

A record is found by its text — name and address, through PostgreSQL full-text search
(every word of the query, as a prefix, in any order and whatever the punctuation:
"Проскурівська 139" finds "вул. Проскурівська, 139") or trigram word similarity (a
misspelt word: "Проскурівька") — or by the labels of its layer's choice filters in
Ukrainian or English ("скло", "glass", "батарейки" find the waste sites that take them):
the query is matched against the labels in Python and the records are then filtered by
those values with the filter's own code, so no client string becomes an ORM lookup.

Full-text search uses the 'simple' configuration (lower case, no stemming): PostgreSQL ships
no Ukrainian dictionary, and prefixes stand in for endings. Both text conditions are served
by expression indexes on ``name || ' ' || address`` (migration 0014), which is why that
exact expression is built here (``search_text``).
"""

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Case, F, FloatField, Func, Q, QuerySet, Value, When
from django.db.models.fields import BooleanField, TextField
from django.utils import translation

from layers.registry import Registry, public_registries
from layers.selectors.map import record_rows
from layers.selectors.ordering import in_ukrainian_order
from layers.selectors.public import registry_public_queryset

# Bounds on what one query may ask of the database, whatever a client sends.
QUERY_MAX_CHARS = 100
QUERY_MAX_WORDS = 8
WORD_MAX_CHARS = 40
# Words of an address that say what kind of street it is: left out of the full-text
# condition so that "вулиця Проскурівська 139" finds "просп. …" or an address without one.
STREET_WORDS = frozenset(
    {"вул", "вулиця", "просп", "проспект", "пров", "провулок", "пл", "площа", "бул", "бульвар"}
    | {"шосе", "узвіз", "тупик", "street", "st", "avenue", "ave", "square", "lane"}
)
# Letters and digits: what PostgreSQL's parser makes a word of, and all that may reach a
# tsquery (so no operator, quote or backslash of the client's can).
_WORD = re.compile(r"[^\W_]+")
# How close a misspelt word of the query must be to a word of a label ("батарейкі").
_LABEL_FUZZ = 0.75


def query_words(query: str) -> list[str]:
    """The words of a query, lower case, bounded in number and length."""
    words = _WORD.findall(query[:QUERY_MAX_CHARS].casefold())
    return [word[:WORD_MAX_CHARS] for word in words[:QUERY_MAX_WORDS]]


class _Text(Func):
    """``name || ' ' || address`` of a record: the expression the search indexes are on."""

    template = "(%(expressions)s)"
    arg_joiner = " || ' ' || "
    output_field = TextField()


class _Operator(Func):
    template = "(%(expressions)s)"
    output_field = BooleanField()

    def __init__(self, left, operator: str, right):
        super().__init__(left, right, arg_joiner=f" {operator} ")


class _TsVector(Func):
    template = "to_tsvector('simple'::regconfig, %(expressions)s)"
    output_field = TextField()


class _TsQuery(Func):
    template = "to_tsquery('simple'::regconfig, %(expressions)s)"
    output_field = TextField()


class _WordSimilarity(Func):
    function = "word_similarity"
    output_field = FloatField()


def search_text(registry: Registry) -> _Text:
    # The address as the public sees it (a location-sensitive heritage object has none).
    return _Text(F("name"), F(registry.properties.get("address", "address")))


def _prefix_query(words: list[str]) -> str:
    """A tsquery text asking for every word as a prefix (``проскур:* & 139:*``)."""
    wanted = [word for word in words if word not in STREET_WORDS] or words
    return " & ".join(f"{word}:*" for word in wanted)


# --- Matching the labels of choices ---------------------------------------------------------


@dataclass(frozen=True)
class LabelMatch:
    """A value of one of a layer's filters whose label answers the query."""

    filter_key: str
    value: str
    score: float


def _word_matches(word: str, label_words: list[str]) -> bool:
    for candidate in label_words:
        if candidate == word or (len(word) >= 3 and candidate.startswith(word)):
            return True
        if len(word) >= 4 and difflib.SequenceMatcher(None, word, candidate).ratio() >= _LABEL_FUZZ:
            return True
    return False


def _label_score(words: list[str], label: str) -> float:
    """1 for the whole label ("скло"), 0.8 when every word of the query is one of its
    words or their beginnings ("батарейки" in "… (батарейки, лампи)"), else 0."""
    label_words = query_words(label)
    if not words or not label_words:
        return 0.0
    if words == label_words:
        return 1.0
    return 0.8 if all(_word_matches(word, label_words) for word in words) else 0.0


def label_matches(registry: Registry, words: list[str]) -> list[LabelMatch]:
    """The values of the layer's choice filters whose Ukrainian or English label matches
    every word of the query, best first. Yes/no filters have no label to match."""
    best: dict[tuple[str, str], float] = {}
    for language in ("uk", "en"):
        with translation.override(language):
            for spec in registry.map_filters():
                if spec.flag:
                    continue
                for value, label in spec.choices():
                    score = _label_score(words, str(label))
                    if score > best.get((spec.key, value), 0.0):
                        best[(spec.key, value)] = score
    matches = [LabelMatch(key, value, score) for (key, value), score in best.items()]
    return sorted(matches, key=lambda match: -match.score)


# --- The search -----------------------------------------------------------------------------


def _layer_queryset(registry: Registry, words: list[str]) -> QuerySet:
    """The layer's published records that match, with ``rank`` and ``fuzzy`` annotated.

    ``rank`` is a tier, so that records equally relevant stay in Ukrainian alphabetical
    order, a list a person can scan: 3 the name begins with the query, 2 the name has every
    word, 1 the name and address together have every word, 0 a misspelling only; a label
    that matches adds its score (1 the whole label, 0.8 words of it). ``fuzzy`` orders the
    misspellings among themselves by how close they are.
    """
    queryset = registry_public_queryset(registry)
    phrase = " ".join(words)
    tsquery = _TsQuery(Value(_prefix_query(words)))
    text = search_text(registry)
    in_text = Q(_Operator(_TsVector(text), "@@", tsquery))
    in_name = Q(_Operator(_TsVector(F("name")), "@@", tsquery))
    # ``%>``: the query's trigrams against the best-matching stretch of the text.
    condition = in_text | Q(_Operator(text, "%%>", Value(phrase)))
    rank = Case(
        When(name__istartswith=phrase, then=Value(3.0)),
        When(in_name, then=Value(2.0)),
        When(in_text, then=Value(1.0)),
        default=Value(0.0),
        output_field=FloatField(),
    )
    specs = {spec.key: spec for spec in registry.map_filters()}
    label_scores = []
    for match in label_matches(registry, words):
        # The filter's own code narrows the records, as it does on the map.
        chosen = specs[match.filter_key].apply(registry_public_queryset(registry), [match.value])
        condition |= Q(pk__in=chosen.values("pk"))
        label_scores.append(When(pk__in=chosen.values("pk"), then=Value(match.score)))
    if label_scores:
        rank = rank + Case(*label_scores, default=Value(0.0), output_field=FloatField())
    fuzzy = Case(
        When(in_text, then=Value(0.0)),
        default=_WordSimilarity(Value(phrase), text),
        output_field=FloatField(),
    )
    return queryset.filter(condition).annotate(rank=rank, fuzzy=fuzzy)


def map_search(query: str, *, registries: Iterable[Registry] | None = None, limit: int = 5) -> dict:
    """Published records of every layer that match ``query``, best first, ``limit`` per layer.

    ``results``: the records (grouped by layer, the layer with the best match first);
    ``layers``: per layer with results, how many are shown and whether there are ``more``
    (then the search shows only the first ``limit`` and says so).
    """
    words = query_words(query)
    if len(query.strip()) < 2 or not words:
        return {"results": [], "layers": []}
    found = []
    for registry in public_registries() if registries is None else registries:
        queryset = _layer_queryset(registry, words).order_by(
            "-rank", "-fuzzy", in_ukrainian_order("name"), "id"
        )
        rows = record_rows(registry, queryset, stop=limit + 1, extra=("rank", "fuzzy"))
        if rows:
            found.append((registry, rows))
    # The layer with the best match first; layers equally good in the registries' order.
    found.sort(key=lambda pair: (-pair[1][0]["rank"], -pair[1][0]["fuzzy"]))
    results, layers = [], []
    for registry, rows in found:
        shown = rows[:limit]
        for row in shown:
            del row["rank"], row["fuzzy"]
        results.extend(shown)
        layers.append(
            {
                "collection": registry.id,
                "title": str(registry.title),
                "shown": len(shown),
                "more": len(rows) > limit,
            }
        )
    return {"results": results, "layers": layers}
