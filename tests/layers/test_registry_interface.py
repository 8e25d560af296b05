"""One interface for both kinds of registry: every part of the portal knows every registry
of the list — a built-in one or one defined as data — and a new entry needs nothing else."""

import re

import pytest
from django.test import Client

from layers.editing import services
from layers.editing.models import Role
from layers.ogcapi.families import family_views
from layers.registry import BUILTIN_REGISTRIES, Registry
from tests.editing.conftest import PASSWORD, actors_create
from tests.factories import make_record, registry_ids
from tests.ogcapi.conftest import body, json_body

pytestmark = pytest.mark.django_db

# What an entry must say for the map, the list, the styles and the tests.
REQUIRED = ("id", "title", "description", "properties", "geometry_kind", "colour")


@pytest.mark.parametrize("registry", registry_ids(), indirect=True)
def test_every_entry_declares_what_the_portal_needs(registry):
    assert isinstance(registry, Registry)
    for name in REQUIRED:
        assert getattr(registry, name), name
    assert registry.geometry_kind in ("point", "line", "polygon", "mixed")
    assert set(registry.tile_properties) <= set(registry.properties)
    assert set(registry.popup) <= set(registry.properties)
    # Tiles carry what the style reads and nothing else (popups fetch their record).
    emphasis = {registry.drawing.emphasis} - {""}
    styled = {registry.style_by, *registry.style_options, *emphasis} - {""}
    assert set(registry.tile_properties) == styled
    assert set(registry.list_properties) <= set(registry.properties)
    if registry.style_by:
        assert registry.style_by in registry.tile_properties
        assert registry.colours, "a layer coloured by a property gives each value a colour"
    assert all(re.fullmatch(r"#[0-9a-fA-F]{6}", c) for c in registry.colours.values())
    for spec in registry.map_filters():
        assert spec.key and str(spec.label)
    assert registry.history_model is not None
    assert registry.geometry_types
    _parts_are_declared_whole(registry)


def _parts_are_declared_whole(registry) -> None:
    """Each part names real fields of its model, a key, a title, and a way to its record;
    the history table keeps the parts' snapshot; the hooks the entry names import."""
    from django.utils.module_loading import import_string

    from layers.editing.part_kinds import LinkPart, PhotoPart

    names = [part.name for part in registry.parts]
    assert len(names) == len(set(names)), "part names are unique per registry"
    for part in registry.parts:
        assert str(part.title) and part.key
        model_fields = {f.name for f in part.model._meta.get_fields()}
        assert set(part.fields) <= model_fields, part.name
        assert part.key in model_fields, part.name
        if isinstance(part, LinkPart):
            assert registry.model._meta.get_field(part.parent).many_to_many
        elif not isinstance(part, PhotoPart):
            assert part.model._meta.get_field(part.parent).related_model is registry.model
    if registry.parts:
        history_fields = {f.name for f in registry.history_model._meta.fields}
        assert "parts_snapshot" in history_fields
    for hook in (registry.derive, registry.page_sections, registry.duplicate_check):
        if hook:
            assert callable(import_string(hook)), hook


@pytest.mark.parametrize("registry", registry_ids(), indirect=True)
def test_every_part_of_the_portal_knows_every_registry(registry, client):
    record = make_record(registry)
    record.status = "published"
    record.save()
    rid = registry.id
    home = client.get("/").content.decode()
    assert f'id="layer-{rid}"' in home
    assert f'"id": "{rid}"' in home  # the map's configuration
    styles = client.get("/map/layers.css").content.decode()
    assert f"--c-{rid}:" in styles
    for url in (
        f"/ogc/collections/{rid}",
        f"/ogc/collections/{rid}/items",
        f"/ogc/collections/{rid}/queryables",
        f"/ogc/collections/{rid}/items/{record.public_id}",
        f"/tiles/{rid}.json",
        f"/{rid}/{record.public_id}/",
        f"/map/list.json?collection={rid}",
        f"/api/{rid}/records/",
        f"/api/{rid}/records/{record.public_id}/",
    ):
        response = client.get(url)
        assert response.status_code == 200, (url, body(response)[:300])
    listed = [c["id"] for c in json_body(client.get("/ogc/collections?f=json"))["collections"]]
    # A registry of mixed geometries is listed as one collection per family (heritage.points).
    collections = [view.id for view in family_views(registry)] or [rid]
    assert set(collections) <= set(listed)
    for collection in collections:
        assert f"/collections/{collection}/items" in json_body(client.get("/ogc/api"))["paths"]
    catalogue = json_body(client.get("/ogc/catalogue"))
    assert rid in [d["dct:identifier"] for d in catalogue["dcat:dataset"]]
    assert f"/api/{rid}/records/" in client.get("/api/schema/?format=json").json()["paths"]


@pytest.mark.parametrize("registry", registry_ids(), indirect=True)
def test_every_editing_page_knows_every_registry(registry):
    actors = actors_create()
    services.role_grant(user=actors.editor, registry=registry, role=Role.EDITOR)
    client = Client()
    client.login(username="editor", password=PASSWORD)
    record = make_record(registry)
    record.save()
    for url in (
        "/edit/",
        f"/edit/{registry.id}/",
        f"/edit/{registry.id}/new/",
        f"/edit/{registry.id}/features/?bbox=26.9,49.3,27.1,49.5",
        f"/edit/{registry.id}/{record.public_id}/",
        f"/edit/{registry.id}/{record.public_id}/history/",
    ):
        assert client.get(url).status_code == 200, url


def test_the_list_of_builtin_entries_has_unique_ids_and_z_orders():
    ids = [r.id for r in BUILTIN_REGISTRIES]
    assert len(ids) == len(set(ids))
    z_orders = [r.z_order for r in BUILTIN_REGISTRIES]
    assert len(z_orders) == len(set(z_orders)), "two built-in layers on the same level"
