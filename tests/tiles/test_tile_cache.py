"""The portal's tile cache: a tile is built once and kept; every write path — the editor,
the API, an import, archive, restore, a hard delete, a bulk statement, a joined table —
is visible in the very next tile at every zoom (the served tile is byte for byte what a
fresh build gives), and the tiles the write did not touch stay kept."""

import json

import mapbox_vector_tile
import pytest
from django.contrib.gis.geos import Point
from django.db import connection

from layers.editing import services
from layers.editing.models import ChangeRequest, ChangeState
from layers.imports import decisions
from layers.imports import services as imports
from layers.models import Species, TileCache, TileInvalidation, Tree
from layers.models.heritage import heritage_generalise
from layers.registry import registry_get
from layers.tiles.cache import CACHE_MAX_ZOOM, cache_key
from layers.tiles.overview import overview_applies, overview_bytes
from layers.tiles.sql import MAX_ZOOM, tile_bytes
from tests.editing.conftest import actors_create, api_client, published_create
from tests.factories import CENTRE, SAMPLE_ID, _species, published_record, registry_resolve
from tests.tiles.test_tiles import tile_of, tile_url

pytestmark = pytest.mark.django_db

ZOOMS = range(0, MAX_ZOOM + 1)
HERE = CENTRE
THERE = (CENTRE[0] + 0.01, CENTRE[1] + 0.004)  # ~800 m away
# Far enough that from zoom 9 on its tiles are others than HERE's and THERE's.
ELSEWHERE = (CENTRE[0] + 0.6, CENTRE[1] - 0.3)


def _get(client, place, z, layer="trees"):
    return client.get(tile_url(layer, *tile_of(*place, z)))


def _fids(response, layer="trees") -> set[int]:
    if response.status_code == 204:
        return set()
    return {f["id"] for f in mapbox_vector_tile.decode(response.content)[layer]["features"]}


def _warm(client, *places, layer="trees") -> None:
    for place in places:
        for z in ZOOMS:
            _get(client, place, z, layer)


def _assert_fresh(client, *places, layer="trees") -> None:
    """Every zoom's tile at each place is what a build from the data now gives (below the
    trees' switch zoom: their counts, from the overview the database keeps)."""
    registry = registry_resolve(layer)
    for place in places:
        for z in ZOOMS:
            response = _get(client, place, z, layer)
            _z, x, y = tile_of(*place, z)
            build = overview_bytes if overview_applies(registry, z, {}) else tile_bytes
            fresh = build(registry, z=z, x=x, y=y)
            served = response.content if response.status_code == 200 else b""
            assert served == fresh, f"stale tile at zoom {z}"


def _kept_elsewhere(client, layer="trees") -> list[int]:
    """The zooms at which ELSEWHERE's tile was answered from the cache."""
    touched = {tile_of(*p, z) for p in (HERE, THERE) for z in ZOOMS}
    return [
        z
        for z in range(0, CACHE_MAX_ZOOM + 1)
        if tile_of(*ELSEWHERE, z) not in touched
        and _get(client, ELSEWHERE, z, layer).get("X-Tile-Cache") == "hit"
    ]


def _geom(place) -> dict:
    return {"type": "Point", "coordinates": list(place)}


@pytest.fixture
def world():
    _species()
    actors = actors_create()
    trees = registry_get("trees")
    record = published_create(trees, actors, geom=f"POINT({HERE[0]} {HERE[1]})")
    published_record(trees, geom=f"POINT({ELSEWHERE[0]} {ELSEWHERE[1]})")
    return actors, trees, record


def test_a_tile_is_built_once_then_kept_to_the_cached_zoom(client, world):
    first = _get(client, HERE, 14)
    again = _get(client, HERE, 14)
    street = [_get(client, HERE, CACHE_MAX_ZOOM + 1) for _ in range(2)]
    every = "condition=good,satisfactory,unsatisfactory,hazardous,dead"
    filtered = [client.get(tile_url("trees", *tile_of(*HERE, 14), every)) for _ in range(2)]

    assert first["X-Tile-Cache"] == "miss" and again["X-Tile-Cache"] == "hit"
    assert again.content == first.content
    assert [r["X-Tile-Cache"] for r in street] == ["miss", "miss"]
    assert [r["X-Tile-Cache"] for r in filtered] == ["miss", "miss"]


def test_an_approved_move_in_the_editor_shows_at_once_at_every_zoom(client, world):
    actors, trees, record = world
    _warm(client, HERE, THERE, ELSEWHERE)
    kept_before = _kept_elsewhere(client)
    # Below zoom 14 the trees' tiles are counts (test_overview.py), from there on kept.
    assert kept_before == list(range(14, CACHE_MAX_ZOOM + 1))

    result = services.record_update(
        registry=trees,
        record=record,
        user=actors.editor,
        values={"geom": _geom(THERE)},
        base_version=record.version,
    )
    services.change_approve(change=result.change, user=actors.reviewer)

    _assert_fresh(client, HERE, THERE)
    assert record.pk in _fids(_get(client, THERE, 18))
    assert record.pk not in _fids(_get(client, HERE, 18))
    assert _kept_elsewhere(client) == kept_before  # untouched tiles stay kept


def test_a_layer_without_overview_is_kept_and_invalidated_at_every_zoom(client, world):
    actors, _trees, _record = world
    waste = registry_get("waste-sites")
    site = published_create(waste, actors, geom=f"POINT({HERE[0]} {HERE[1]})")
    published_record(waste, geom=f"POINT({ELSEWHERE[0]} {ELSEWHERE[1]})")
    _warm(client, HERE, THERE, ELSEWHERE, layer="waste-sites")
    kept_before = _kept_elsewhere(client, "waste-sites")
    assert kept_before == list(range(9, CACHE_MAX_ZOOM + 1))  # zoom 8 and below: HERE too

    result = services.record_update(
        registry=waste,
        record=site,
        user=actors.editor,
        values={"geom": _geom(THERE)},
        base_version=site.version,
    )
    services.change_approve(change=result.change, user=actors.reviewer)

    _assert_fresh(client, HERE, THERE, layer="waste-sites")
    assert site.pk in _fids(_get(client, THERE, 18, "waste-sites"), "waste-sites")
    assert _kept_elsewhere(client, "waste-sites") == kept_before


def test_a_proposal_not_yet_approved_changes_no_tile(client, world):
    actors, trees, record = world
    _warm(client, HERE)
    services.record_update(
        registry=trees,
        record=record,
        user=actors.editor,
        values={"geom": _geom(THERE)},
        base_version=record.version,
    )

    assert record.pk in _fids(_get(client, HERE, 18))
    _assert_fresh(client, HERE, THERE)


def test_a_change_over_the_api_shows_at_once(client, world):
    actors, _trees, record = world
    _warm(client, HERE, THERE)
    editor, reviewer = api_client(actors.editor), api_client(actors.reviewer)

    proposed = editor.patch(
        f"/api/trees/records/{record.public_id}/",
        {"geom": _geom(THERE), "condition": "hazardous"},
        format="json",
        HTTP_IF_MATCH=f'"{record.version}"',
    )
    assert proposed.status_code == 202, proposed.content
    approved = reviewer.post(f"/api/changes/{proposed.json()['id']}/approve/", {}, format="json")
    assert approved.status_code == 200

    _assert_fresh(client, HERE, THERE)
    (feature,) = mapbox_vector_tile.decode(_get(client, THERE, 18).content)["trees"]["features"]
    assert feature["properties"]["condition"] == "hazardous"


def test_archive_and_restore_show_at_once(client, world):
    actors, trees, record = world
    _warm(client, HERE, THERE)
    moved = services.record_update(
        registry=trees,
        record=record,
        user=actors.editor,
        values={"geom": _geom(THERE)},
        base_version=record.version,
    )
    services.change_approve(change=moved.change, user=actors.reviewer)
    record.refresh_from_db()
    # Back to the state before the move: a restore is proposed and approved.
    before_move = trees.history_model.objects.filter(pgh_obj_id=record.pk).order_by("pgh_id")
    event = next(e for e in before_move if e.geom.equals(record.geom) is False)
    restored = services.record_restore(
        registry=trees,
        record=record,
        user=actors.editor,
        event_id=event.pgh_id,
        base_version=record.version,
    )
    services.change_approve(change=restored.change, user=actors.reviewer)
    _assert_fresh(client, HERE, THERE)
    assert record.pk in _fids(_get(client, HERE, 18))

    record.refresh_from_db()
    services.record_archive(
        registry=trees, record=record, user=actors.reviewer, base_version=record.version
    )

    _assert_fresh(client, HERE, THERE)
    assert record.pk not in _fids(_get(client, HERE, 18))


def test_a_hard_delete_shows_at_once(client, world):
    _actors, _trees, record = world
    _warm(client, HERE)

    Tree.objects.filter(pk=record.pk).delete()

    _assert_fresh(client, HERE)
    assert _get(client, HERE, 18).status_code == 204


def test_an_approved_import_shows_at_once(client, world, tmp_path):
    actors, trees, _record = world
    _warm(client, HERE, THERE, ELSEWHERE)
    kept_before = _kept_elsewhere(client)
    path = tmp_path / "survey.csv"
    path.write_text(
        "lon,lat,Вид,Стан\n"
        f"{THERE[0]:.6f},{THERE[1]:.6f},Липа серцелиста,добрий\n"
        f"{THERE[0] + 0.0002:.6f},{THERE[1]:.6f},Липа серцелиста,аварійне\n",
        encoding="utf-8",
    )
    with path.open("rb") as upload:
        job = imports.import_create(
            registry=trees, user=actors.editor, upload=upload, file_name=path.name
        )
    job = imports.import_check(job=job)
    imports.import_commit(job=job, user=actors.editor)
    _assert_fresh(client, THERE)  # in review: not public yet
    decisions.import_decide(job=job, user=actors.reviewer, approve=True)

    _assert_fresh(client, HERE, THERE)
    assert len(_fids(_get(client, THERE, 17))) == 2
    assert _kept_elsewhere(client) == kept_before
    assert not ChangeRequest.objects.filter(state=ChangeState.PENDING).exists()


def test_a_bulk_statement_invalidates_around_all_its_rows(client, world):
    _actors, trees, _record = world
    for n in range(150):
        published_record(trees, geom=f"POINT({THERE[0] + n * 1e-5} {THERE[1]})")
    _warm(client, HERE, THERE, ELSEWHERE)

    earlier = TileInvalidation.objects.order_by("-pk").values_list("pk", flat=True).first()

    changed = Tree.objects.filter(geom__dwithin=(f"POINT({THERE[0]} {THERE[1]})", 0.01))
    assert changed.update(condition="dead") > 100

    _assert_fresh(client, HERE, THERE)
    rects = TileInvalidation.objects.filter(pk__gt=earlier, z=CACHE_MAX_ZOOM)
    assert rects.count() == 1  # one rectangle per zoom for the statement, not one per row


def test_a_renamed_species_rebuilds_the_layers_tiles(client, world):
    _warm(client, HERE)
    assert _get(client, HERE, 14)["X-Tile-Cache"] == "hit"

    Species.objects.update(name_uk="Липа дрібнолиста")

    assert _get(client, HERE, 14)["X-Tile-Cache"] == "miss"


def test_a_tile_built_from_a_snapshot_before_a_write_is_never_served(client, world):
    """The race the counters close: a request built its tile from a snapshot taken before
    a write committed and stored it after the write's trigger had deleted the kept one."""
    actors, trees, record = world
    z, x, y = tile_of(*HERE, 14)
    stale = _get(client, HERE, 14).content
    key = cache_key(trees)
    before = TileCache.objects.get(registry=key, z=z, x=x, y=y).built_changes
    result = services.record_update(
        registry=trees,
        record=record,
        user=actors.editor,
        values={"geom": _geom(THERE)},
        base_version=record.version,
    )
    services.change_approve(change=result.change, user=actors.reviewer)
    assert not TileCache.objects.filter(registry=key, z=z, x=x, y=y).exists()
    # What the late request writes: the old bytes with the counter of its old snapshot.
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO layers_tilecache (registry, stamp_key, z, x, y, data, built_changes,"
            " other_changes) SELECT %s, 'layers_tree', %s, %s, %s, %s, %s,"
            " coalesce(sum(changes), 0) FROM layers_changestamp"
            " WHERE table_name = 'layers_species'",
            [key, z, x, y, stale, before],
        )

    response = _get(client, HERE, 14)

    assert response["X-Tile-Cache"] == "miss"
    assert record.pk not in _fids(response)
    assert json.dumps(sorted(_fids(response))) != json.dumps(sorted(_fids_of(stale)))


def _fids_of(data: bytes) -> set[int]:
    return {f["id"] for f in mapbox_vector_tile.decode(data)["trees"]["features"]}


def test_a_data_defined_registrys_rows_invalidate_its_tiles(client, registry_sample):
    """The shared table's rows invalidate their own registry's tiles (by the stamp row of
    their definition)."""
    registry = registry_sample
    record = published_record(registry, geom=f"POINT({HERE[0]} {HERE[1]})")
    _warm(client, HERE, THERE, layer=registry.id)

    record.geom = f"POINT({THERE[0]} {THERE[1]})"
    record.save()

    _assert_fresh(client, HERE, THERE, layer=registry.id)
    assert record.pk in _fids(_get(client, THERE, 18, registry.id), registry.id)


def test_a_generalised_place_leaves_the_tiles_of_its_public_spot(client):
    """A sensitive heritage object is drawn at its generalised spot, up to a few hundred
    metres from its geometry: when it stops being sensitive, that spot's kept tiles go too
    (the trigger's margin for the heritage table)."""
    registry = registry_get("heritage")
    here = (27.003, 49.4251)  # a place whose generalised spot is in other tiles at z15–16
    record = published_record(registry, geom=f"POINT({here[0]} {here[1]})", location_sensitive=True)
    spot = heritage_generalise(Point(*here, srid=4326)).coords
    assert tile_of(*spot, CACHE_MAX_ZOOM) != tile_of(*here, CACHE_MAX_ZOOM)  # means something
    _warm(client, spot, here, layer="heritage")
    assert record.pk in _fids(_get(client, spot, CACHE_MAX_ZOOM, "heritage"), "heritage")

    record.location_sensitive = False
    record.save()

    _assert_fresh(client, spot, here, layer="heritage")
    assert record.pk not in _fids(_get(client, spot, CACHE_MAX_ZOOM, "heritage"), "heritage")
    assert record.pk in _fids(_get(client, here, 18, "heritage"), "heritage")


@pytest.fixture
def registry_sample(db):
    return registry_resolve(SAMPLE_ID)


def test_below_the_overview_zoom_a_tree_edit_records_no_rectangle(client, world):
    """Tree tiles below their overview's zoom are counts, never kept: nothing to hide."""
    _actors, trees, record = world
    earlier = TileInvalidation.objects.order_by("-pk").values_list("pk", flat=True).first()

    record.geom = f"POINT({THERE[0]} {THERE[1]})"
    record.save()

    zooms = set(TileInvalidation.objects.filter(pk__gt=earlier).values_list("z", flat=True))
    assert zooms == set(range(trees.overview_below_zoom, CACHE_MAX_ZOOM + 1))
