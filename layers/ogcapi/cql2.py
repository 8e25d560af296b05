"""A parser for the part of CQL2-text (OGC 21-065) the API supports: Basic CQL2 (comparisons,
AND/OR/NOT, IS NULL), the advanced comparison operators (LIKE, BETWEEN, IN) and the spatial
functions S_INTERSECTS, S_DISJOINT, S_WITHIN, S_CONTAINS with POINT, LINESTRING, POLYGON and
BBOX literals.

Written here rather than taken from pygeofilter: the grammar subset is small, the parser
has no dependencies (pygeofilter brings lark, dateparser, pygeoif), and its output is a plain
tree that ``filters.py`` checks against the queryables allowlist before anything reaches the
ORM. Geometry literals are read as numbers by this tokenizer, never handed to GEOS as text.
Size and nesting are capped so that a hostile filter costs a 400, not a RecursionError.
"""

import math
import re
from dataclasses import dataclass

from layers.inputs import MAX_NUMBER_DIGITS

MAX_LENGTH = 8000
MAX_DEPTH = 25
MAX_VERTICES = 2000


class CQL2SyntaxError(ValueError):
    """The filter is not CQL2-text this API understands (a 400 for the client)."""


@dataclass(frozen=True)
class Property:
    name: str


@dataclass(frozen=True)
class Literal:
    value: object  # str, int, float, bool
    kind: str = "plain"  # "plain", "date" or "timestamp"


@dataclass(frozen=True)
class GeometryLiteral:
    kind: str  # "point", "linestring", "polygon", "bbox"
    coordinates: tuple


@dataclass(frozen=True)
class Node:
    op: str  # and, or, not, cmp, like, between, in, isnull, spatial
    args: tuple
    negated: bool = False


_TOKEN = re.compile(
    r"""\s*(?:
        (?P<string>'(?:[^']|'')*')
      | (?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
      | (?P<quoted>"[^"]+")
      | (?P<word>[A-Za-z_][A-Za-z0-9_:.]*)
      | (?P<op><>|<=|>=|=|<|>|\(|\)|,|-)
    )""",
    re.VERBOSE,
)
COMPARISONS = {"=", "<>", "<", "<=", ">", ">="}
SPATIAL = {"S_INTERSECTS", "S_DISJOINT", "S_WITHIN", "S_CONTAINS"}


def _tokenize(text: str) -> list[tuple[str, str]]:
    tokens, position = [], 0
    text = text.rstrip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match or match.end() == position:
            raise CQL2SyntaxError(
                f"Unexpected text at position {position}: {text[position:][:20]!r}"
            )
        kind = match.lastgroup
        tokens.append((kind, match.group(kind)))
        position = match.end()
    return tokens


class _Parser:
    def __init__(self, text: str):
        if len(text) > MAX_LENGTH:
            raise CQL2SyntaxError(f"The filter is longer than {MAX_LENGTH} characters.")
        self.tokens = _tokenize(text)
        self.position = 0
        self.depth = 0
        self.vertices = 0

    # --- token helpers --------------------------------------------------------------------
    def peek(self, offset: int = 0) -> tuple[str, str] | None:
        index = self.position + offset
        return self.tokens[index] if index < len(self.tokens) else None

    def keyword(self, *words: str, offset: int = 0) -> bool:
        token = self.peek(offset)
        return token is not None and token[0] == "word" and token[1].upper() in words

    def symbol(self, *symbols: str) -> bool:
        token = self.peek()
        return token is not None and token[0] == "op" and token[1] in symbols

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise CQL2SyntaxError("The filter ends too early.")
        self.position += 1
        return token

    def expect_symbol(self, symbol: str) -> None:
        kind, value = self.take()
        if kind != "op" or value != symbol:
            raise CQL2SyntaxError(f"Expected {symbol!r}, found {value!r}.")

    def expect_keyword(self, word: str) -> None:
        kind, value = self.take()
        if kind != "word" or value.upper() != word:
            raise CQL2SyntaxError(f"Expected {word}, found {value!r}.")

    # --- grammar --------------------------------------------------------------------------
    def parse(self) -> Node:
        node = self.boolean_expression()
        if self.peek() is not None:
            raise CQL2SyntaxError(f"Unexpected {self.peek()[1]!r} after the end of the filter.")
        return node

    def boolean_expression(self) -> Node:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise CQL2SyntaxError(f"The filter nests deeper than {MAX_DEPTH} levels.")
        terms = [self.boolean_term()]
        while self.keyword("OR"):
            self.take()
            terms.append(self.boolean_term())
        self.depth -= 1
        return terms[0] if len(terms) == 1 else Node("or", tuple(terms))

    def boolean_term(self) -> Node:
        factors = [self.boolean_factor()]
        while self.keyword("AND"):
            self.take()
            factors.append(self.boolean_factor())
        return factors[0] if len(factors) == 1 else Node("and", tuple(factors))

    def boolean_factor(self) -> Node:
        if self.keyword("NOT"):
            self.take()
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise CQL2SyntaxError(f"The filter nests deeper than {MAX_DEPTH} levels.")
            node = Node("not", (self.boolean_factor(),))
            self.depth -= 1
            return node
        if self.symbol("("):
            self.take()
            node = self.boolean_expression()
            self.expect_symbol(")")
            return node
        if self.keyword(*SPATIAL):
            return self.spatial_predicate()
        return self.predicate()

    def predicate(self) -> Node:
        left = self.scalar()
        negated = False
        if self.keyword("NOT") and self.keyword("LIKE", "BETWEEN", "IN", offset=1):
            self.take()
            negated = True
        if self.keyword("LIKE"):
            self.take()
            pattern = self.scalar()
            if not (isinstance(pattern, Literal) and isinstance(pattern.value, str)):
                raise CQL2SyntaxError("LIKE needs a text pattern.")
            return Node("like", (left, pattern), negated)
        if self.keyword("BETWEEN"):
            self.take()
            low = self.scalar()
            self.expect_keyword("AND")
            return Node("between", (left, low, self.scalar()), negated)
        if self.keyword("IN"):
            self.take()
            self.expect_symbol("(")
            values = [self.scalar()]
            while self.symbol(","):
                self.take()
                values.append(self.scalar())
            self.expect_symbol(")")
            return Node("in", (left, tuple(values)), negated)
        if self.keyword("IS"):
            self.take()
            if self.keyword("NOT"):
                self.take()
                negated = True
            self.expect_keyword("NULL")
            return Node("isnull", (left,), negated)
        if negated:
            raise CQL2SyntaxError("NOT must be followed by LIKE, BETWEEN or IN here.")
        if self.symbol(*COMPARISONS):
            operator = self.take()[1]
            return Node("cmp", (operator, left, self.scalar()))
        token = self.peek()
        raise CQL2SyntaxError(
            f"Expected a comparison after {getattr(left, 'name', 'the value')!r}, "
            f"found {token[1] if token else 'the end'!r}."
        )

    def scalar(self) -> Property | Literal:
        kind, value = self.take()
        if kind == "string":
            return Literal(value[1:-1].replace("''", "'"))
        if kind == "number":
            return Literal(self.number(value))
        if kind == "op" and value == "-":
            kind, value = self.take()
            if kind != "number":
                raise CQL2SyntaxError("A minus sign must precede a number.")
            return Literal(-self.number(value))
        if kind == "quoted":
            return Property(value[1:-1])
        if kind == "word":
            upper = value.upper()
            if upper in ("TRUE", "FALSE"):
                return Literal(upper == "TRUE")
            if upper in ("DATE", "TIMESTAMP") and self.symbol("("):
                self.take()
                string_kind, text = self.take()
                if string_kind != "string":
                    raise CQL2SyntaxError(f"{upper}() needs a quoted value.")
                self.expect_symbol(")")
                return Literal(text[1:-1], kind=upper.lower())
            if self.symbol("("):
                raise CQL2SyntaxError(f"Unsupported function {value}().")
            return Property(value)
        raise CQL2SyntaxError(f"Expected a property or a value, found {value!r}.")

    @staticmethod
    def number(text: str) -> int | float:
        if len(text) > MAX_NUMBER_DIGITS:
            raise CQL2SyntaxError(
                f"{text[:20]}… has more than {MAX_NUMBER_DIGITS} digits: no property holds it."
            )
        number = float(text) if any(c in text for c in ".eE") else int(text)
        if isinstance(number, float) and not math.isfinite(number):
            raise CQL2SyntaxError(f"{text} is not a finite number.")
        return number

    # --- spatial --------------------------------------------------------------------------
    def spatial_predicate(self) -> Node:
        function = self.take()[1].upper()
        self.expect_symbol("(")
        first = self.spatial_operand()
        self.expect_symbol(",")
        second = self.spatial_operand()
        self.expect_symbol(")")
        return Node("spatial", (function, first, second))

    def spatial_operand(self) -> Property | GeometryLiteral:
        if self.keyword("POINT", "LINESTRING", "POLYGON", "BBOX"):
            kind = self.take()[1].lower()
            if kind == "bbox":
                self.expect_symbol("(")
                values = [self.signed_number()]
                while self.symbol(","):
                    self.take()
                    values.append(self.signed_number())
                self.expect_symbol(")")
                if len(values) not in (4, 6):
                    raise CQL2SyntaxError("BBOX() takes 4 or 6 numbers.")
                return GeometryLiteral("bbox", tuple(values))
            if kind == "point":
                return GeometryLiteral(kind, self.position_list()[0])
            if kind == "linestring":
                return GeometryLiteral(kind, tuple(self.position_list()))
            return GeometryLiteral(kind, self.polygon_rings())
        operand = self.scalar()
        if not isinstance(operand, Property):
            raise CQL2SyntaxError("A spatial function takes a property or a geometry.")
        return operand

    def signed_number(self) -> float:
        negative = self.symbol("-")
        if negative:
            self.take()
        kind, value = self.take()
        if kind != "number":
            raise CQL2SyntaxError(f"Expected a number, found {value!r}.")
        number = float(self.number(value))
        return -number if negative else number

    def vertex(self) -> tuple[float, ...]:
        coordinates = [self.signed_number(), self.signed_number()]
        if self.peek() and (self.peek()[0] == "number" or self.symbol("-")):
            coordinates.append(self.signed_number())
        self.vertices += 1
        if self.vertices > MAX_VERTICES:
            raise CQL2SyntaxError(f"Geometries in a filter have at most {MAX_VERTICES} vertices.")
        return tuple(coordinates)

    def position_list(self) -> list[tuple[float, ...]]:
        self.expect_symbol("(")
        positions = [self.vertex()]
        while self.symbol(","):
            self.take()
            positions.append(self.vertex())
        self.expect_symbol(")")
        return positions

    def polygon_rings(self) -> tuple:
        self.expect_symbol("(")
        rings = [tuple(self.position_list())]
        while self.symbol(","):
            self.take()
            rings.append(tuple(self.position_list()))
        self.expect_symbol(")")
        return tuple(rings)


def cql2_parse(text: str) -> Node:
    """Parse CQL2-text into a tree of ``Node``; CQL2SyntaxError when it is not valid."""
    if not text.strip():
        raise CQL2SyntaxError("The filter is empty.")
    return _Parser(text).parse()
