"""The CQL2-text parser on its own (no database)."""

import pytest

from layers.ogcapi.cql2 import CQL2SyntaxError, GeometryLiteral, Literal, Node, Property, cql2_parse


def test_precedence_and_over_or():
    tree = cql2_parse("a = 1 OR b = 2 AND c = 3")

    assert tree.op == "or"
    assert tree.args[1].op == "and"


def test_literals():
    tree = cql2_parse("d = DATE('2024-01-02') AND n = -1.5 AND s = 'it''s' AND b = true")

    values = [node.args[2] for node in tree.args]
    assert values == [
        Literal("2024-01-02", kind="date"),
        Literal(-1.5),
        Literal("it's"),
        Literal(True),
    ]


def test_negated_advanced_comparisons():
    assert cql2_parse("a NOT LIKE 'x%'") == Node("like", (Property("a"), Literal("x%")), True)
    assert cql2_parse("a NOT IN (1, 2)").negated
    assert cql2_parse("a IS NOT NULL") == Node("isnull", (Property("a"),), True)


def test_spatial_literals_are_numbers_not_text():
    tree = cql2_parse('S_INTERSECTS("geometry", POLYGON((0 0, 1 0, 1 1, 0 0)))')

    assert tree.args[0] == "S_INTERSECTS"
    assert tree.args[2] == GeometryLiteral(
        "polygon", (((0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 0.0)),)
    )


@pytest.mark.parametrize(
    "text",
    [
        "",
        "a",
        "a =",
        "a = 1 AND",
        "(a = 1",
        "a = 1)",
        "a == 1",
        "f(a) = 1",
        "a = 1e999",
        "a ~ 1",
        "a BETWEEN 1",
        "S_INTERSECTS(a, BBOX(1,2,3))",
    ],
)
def test_syntax_errors(text):
    with pytest.raises(CQL2SyntaxError):
        cql2_parse(text)
