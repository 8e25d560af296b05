"""Below the zoom its dots start at, a big point layer's tiles are counts per cell from
the overview the database keeps: the counts are what the raw tiles hold, and stay so
through every kind of write."""

import math

import mapbox_vector_tile
import pytest
from django.contrib.gis.geos import Polygon

from layers.models import Status, Tree
from layers.registry import registry_get
from layers.tiles.sql import EXTENT, tile_bytes
from tests.factories import CENTRE, _species, published_record
from tests.tiles.test_tiles import tile_of, tile_url

pytestmark = pytest.mark.django_db

SWITCH = 14  # the trees' overview_below_zoom: dots from here


def _features(data: bytes) -> list[dict]:
    if not data:
        return []
    layer = mapbox_vector_tile.decode(data, default_options={"y_coord_down": True})["trees"]
    return layer["features"]


def _inside(feature) -> bool:
    """A point of the tile itself, not of its buffer (the neighbours' edge)."""
    x, y = feature["geometry"]["coordinates"]
    return 0 <= x < EXTENT and 0 <= y < EXTENT


def _bounds(z: int, x: int, y: int) -> Polygon:
    def lon(tx):
        return tx / 2**z * 360 - 180

    def lat(ty):
        return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * ty / 2**z))))

    return Polygon.from_bbox((lon(x), lat(y + 1), lon(x + 1), lat(y)))


def _published_in(z, x, y) -> int:
    box = _bounds(z, x, y)
    return Tree.objects.filter(status=Status.PUBLISHED, geom__within=box).count()


@pytest.fixture
def trees():
    _species()
    registry = registry_get("trees")
    # 90 trees over ~3 km in a fixed pattern: several cells at every overview zoom.
    for n in range(90):
        lon = CENTRE[0] + (n % 9 - 4) * 0.004 + n * 1e-5
        lat = CENTRE[1] + (n // 9 - 5) * 0.0025
        published_record(registry, geom=f"POINT({lon} {lat})")
    return registry


def _assert_counts_match(client, registry) -> None:
    for z in range(0, SWITCH):
        z, x, y = tile_of(*CENTRE, z)
        response = client.get(tile_url("trees", z, x, y))
        assert response["X-Tile-Cache"] == "overview"
        around = _features(response.content if response.status_code == 200 else b"")
        assert all(set(f["properties"]) == {"count"} for f in around)
        cells = [f for f in around if _inside(f)]  # not the ring of the neighbours' cells
        # Every record of the tile is counted once.
        assert sum(f["properties"]["count"] for f in cells) == _published_in(z, x, y), z
        if z + 3 >= 15:  # the cells are tiles of zoom z + 3, unthinned there: count them
            for cell in cells:
                cx, cy = (int(c * 8 // EXTENT) for c in cell["geometry"]["coordinates"])
                raw = tile_bytes(registry, z=z + 3, x=x * 8 + cx, y=y * 8 + cy)
                held = [f for f in _features(raw) if _inside(f)]
                assert cell["properties"]["count"] == len(held), (z, cx, cy)


def test_overview_counts_equal_what_the_raw_tiles_hold(client, trees):
    _assert_counts_match(client, trees)


def test_the_counts_follow_every_write(client, trees):
    records = list(Tree.objects.order_by("pk"))
    moved = records[0]
    moved.geom = f"POINT({CENTRE[0] + 0.03} {CENTRE[1] + 0.02})"
    moved.save()
    records[1].status = Status.ARCHIVED
    records[1].save()
    records[2].status = Status.DRAFT
    records[2].save()
    Tree.objects.filter(pk=records[3].pk).delete()
    Tree.objects.filter(pk__in=[r.pk for r in records[10:40]]).update(status=Status.ARCHIVED)
    Tree.objects.filter(pk__in=[r.pk for r in records[10:20]]).update(status=Status.PUBLISHED)
    published_record(trees, geom=f"POINT({CENTRE[0] - 0.02} {CENTRE[1]})")

    _assert_counts_match(client, trees)


def test_from_the_switch_zoom_on_the_tiles_are_the_records(client, trees):
    response = client.get(tile_url("trees", *tile_of(*CENTRE, SWITCH)))

    assert response["X-Tile-Cache"] in ("hit", "miss")
    features = _features(response.content)
    assert features and all("count" not in f["properties"] for f in features)
    assert all(isinstance(f["id"], int) for f in features)


def test_a_filtered_layer_is_not_counted(client, trees):
    response = client.get(tile_url("trees", *tile_of(*CENTRE, 10), "condition=good"))

    assert response["X-Tile-Cache"] == "miss"
    assert all("count" not in f["properties"] for f in _features(response.content))
