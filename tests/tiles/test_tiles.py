import math

import mapbox_vector_tile
import pytest
from django.contrib.gis.geos import Point

from layers.models import Status
from layers.models.heritage import heritage_generalise
from layers.registry import registry_get
from tests.factories import CENTRE, make_record, published_record, registry_ids

pytestmark = pytest.mark.django_db


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int, int]:
    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return z, x, y


def tile_url(collection: str, z: int, x: int, y: int, query: str = "") -> str:
    return f"/tiles/{collection}/{z}/{x}/{y}.pbf" + (f"?{query}" if query else "")


publish = published_record


def decode(response) -> dict:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/vnd.mapbox-vector-tile"
    return mapbox_vector_tile.decode(response.content)


@pytest.mark.parametrize("registry", registry_ids(), indirect=True)
def test_tile_holds_published_features_with_integer_id_and_tile_properties(client, registry):
    record = publish(registry)

    tile = decode(client.get(tile_url(registry.id, *tile_of(*CENTRE, 16))))

    features = tile[registry.id]["features"]
    assert len(features) == 1
    # The MVT feature id is the record's key; no public id (36 characters) per feature.
    assert features[0]["id"] == record.pk
    properties = features[0]["properties"]
    # NULL attributes are left out of MVT features; everything present is declared.
    assert set(properties) <= set(registry.tile_properties)
    assert str(record.public_id) not in str(properties)
    assert "status" not in properties and "notes" not in properties


@pytest.mark.parametrize("registry", registry_ids(), indirect=True)
def test_drafts_and_archived_records_are_not_in_tiles(client, registry):
    for status in (Status.DRAFT, Status.IN_REVIEW, Status.ARCHIVED):
        record = make_record(registry)
        record.status = status
        record.save()

    response = client.get(tile_url(registry.id, *tile_of(*CENTRE, 16)))

    assert response.status_code == 204
    assert response.content == b""


def test_tile_attributes_are_typed_for_styling(client):
    tree = publish(registry_get("trees"), condition="hazardous", height_m="12.5")
    publish(registry_get("heritage"), types=["architecture", "history"])

    trees = decode(client.get(tile_url("trees", *tile_of(*CENTRE, 17))))
    heritage = decode(client.get(tile_url("heritage", *tile_of(*CENTRE, 17))))

    (feature,) = trees["trees"]["features"]
    assert feature["id"] == tree.pk
    # Only what the style reads: the colour's value and the emphasis.
    assert feature["properties"] == {"condition": "hazardous", "is_hazardous": True}
    assert heritage["heritage"]["features"][0]["properties"] == {"significance": "local"}


def test_sensitive_heritage_place_is_generalised_in_tiles(client):
    registry = registry_get("heritage")
    true_place = Point(27.0123, 49.4051, srid=4326)
    record = publish(registry, geom=true_place, location_sensitive=True)
    public_place = heritage_generalise(true_place)
    assert public_place.distance(true_place) > 0.0005  # the test means something

    at_true_place = client.get(tile_url("heritage", *tile_of(true_place.x, true_place.y, 20)))
    at_public_place = client.get(tile_url("heritage", *tile_of(public_place.x, public_place.y, 20)))

    assert at_true_place.status_code == 204
    features = decode(at_public_place)["heritage"]["features"]
    assert [f["id"] for f in features] == [record.pk]


def test_zones_of_sensitive_objects_are_not_in_tiles(client):
    site = publish(registry_get("heritage"), location_sensitive=True)
    zone = publish(registry_get("protection-zones"))
    zone.heritage_objects.add(site)

    response = client.get(tile_url("protection-zones", *tile_of(*CENTRE, 16)))

    assert response.status_code == 204


def test_filters_narrow_a_tile(client):
    registry = registry_get("trees")
    hazardous = publish(registry, condition="hazardous")
    publish(registry, condition="good", geom=Point(26.99651, 49.42161, srid=4326))
    z, x, y = tile_of(*CENTRE, 17)

    everything = decode(client.get(tile_url("trees", z, x, y)))
    only_hazardous = decode(client.get(tile_url("trees", z, x, y, "hazardous=1")))

    assert len(everything["trees"]["features"]) == 2
    ids = [f["id"] for f in only_hazardous["trees"]["features"]]
    assert ids == [hazardous.pk]


def test_etag_gives_304_until_the_published_set_changes(client):
    registry = registry_get("accessibility")
    record = publish(registry)
    url = tile_url("accessibility", *tile_of(*CENTRE, 16))

    first = client.get(url)
    again = client.get(url, headers={"If-None-Match": first["ETag"]})
    record.name = "Змінено"
    record.save()
    changed = client.get(url, headers={"If-None-Match": first["ETag"]})

    assert first.status_code == 200
    assert "max-age" in first["Cache-Control"] and "public" in first["Cache-Control"]
    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]


def test_filtered_tiles_have_their_own_etag(client):
    publish(registry_get("trees"), condition="good")
    url = tile_url("trees", *tile_of(*CENTRE, 16))

    assert client.get(url)["ETag"] != client.get(url + "?condition=good")["ETag"]


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/tiles/trees/23/0/0.pbf", 404),
        ("/tiles/trees/3/8/0.pbf", 404),
        ("/tiles/trees/3/0/8.pbf", 404),
        ("/tiles/trees/-1/0/0.pbf", 404),
        ("/tiles/nothing/3/0/0.pbf", 404),
        ("/tiles/trees/3/0/0.pbf?condition=burnt", 400),
        ("/tiles/trees/3/0/0.pbf?species=a,b", 400),
    ],
)
def test_bad_tile_requests_are_refused(client, url, status):
    assert client.get(url).status_code == status


def test_empty_world_tile_is_204(client):
    response = client.get("/tiles/waste-sites/0/0/0.pbf")

    assert response.status_code == 204
    assert response["ETag"]


WEB_MERCATOR_HALF = 20037508.342789244


def at_pixel(tile: tuple[int, int, int], px: float, py: float) -> Point:
    """The WGS 84 point drawn at screen pixel (px, py) of a 256-pixel tile."""
    z, x, y = tile
    size = 2 * WEB_MERCATOR_HALF / 2**z
    point = Point(
        -WEB_MERCATOR_HALF + (x + px / 256) * size,
        WEB_MERCATOR_HALF - (y + py / 256) * size,
        srid=3857,
    )
    point.transform(4326)
    return point


def test_low_zoom_point_tiles_keep_one_point_per_cell_of_the_registry_spacing(client):
    trees, waste = registry_get("trees"), registry_get("waste-sites")
    assert trees.tile_point_spacing_px == 4 and waste.tile_point_spacing_px == 1
    z14 = tile_of(*CENTRE, 14)
    # Two of each a pixel apart inside one 4 x 4 cell (and at zoom 15), one in another cell.
    for px, py in ((100.5, 100.5), (101.5, 101.5), (120.5, 100.5)):
        publish(trees, geom=at_pixel(z14, px, py))
        publish(waste, geom=at_pixel(z14, px, py))

    low_trees = decode(client.get(tile_url("trees", *z14)))["trees"]["features"]
    low_waste = decode(client.get(tile_url("waste-sites", *z14)))["waste-sites"]["features"]
    z15 = tile_of(*at_pixel(z14, 100.5, 100.5).coords, 15)
    street_trees = decode(client.get(tile_url("trees", *z15)))["trees"]["features"]

    assert len(low_trees) == 2  # one per 4-pixel cell
    assert len(low_waste) == 3  # one per pixel: none of these lost
    assert len(street_trees) == 3  # from zoom 15 every point is kept


@pytest.mark.parametrize("registry", registry_ids(), indirect=True)
def test_tilejson_describes_the_tiles(client, registry):
    publish(registry)

    response = client.get(f"/tiles/{registry.id}.json")

    assert response.status_code == 200
    body = response.json()
    assert body["tilejson"] == "3.0.0"
    assert body["tiles"] == [f"http://testserver/tiles/{registry.id}/{{z}}/{{x}}/{{y}}.pbf"]
    assert (body["minzoom"], body["maxzoom"]) == (0, 22)
    west, south, east, north = body["bounds"]
    assert west <= CENTRE[0] <= east and south <= CENTRE[1] <= north
    (layer,) = body["vector_layers"]
    assert layer["id"] == registry.id
    counts = {"count"} if registry.overview_below_zoom else set()
    assert set(layer["fields"]) == set(registry.tile_properties) | counts
