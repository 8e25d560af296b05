import json

from django.contrib.gis.geos import GEOSGeometry, MultiPolygon
from django.core.exceptions import ValidationError
from django.db import transaction

from layers.hromada import HromadaProfile
from layers.models import Hromada


def hromada_load_boundary(*, profile: HromadaProfile) -> tuple[Hromada, bool]:
    """Store the profile's boundary as the hromada record; return it and whether it changed.

    Running it again with the same file changes nothing, so the set-up can call it every time.
    """
    collection = json.loads(profile.boundary_path.read_text(encoding="utf-8"))
    polygons = [
        GEOSGeometry(json.dumps(feature["geometry"]), srid=4326)
        for feature in collection["features"]
        if feature["geometry"]["type"] in ("Polygon", "MultiPolygon")
    ]
    if not polygons:
        raise ValidationError(f"{profile.boundary_path.name} holds no polygon")
    parts = [p for geom in polygons for p in (geom if isinstance(geom, MultiPolygon) else [geom])]
    geom = MultiPolygon(parts, srid=4326)
    if not geom.valid:
        raise ValidationError(
            f"{profile.boundary_path.name}: invalid boundary ({geom.valid_reason})"
        )

    values = {
        "name_uk": profile.name_uk,
        "name_en": profile.name_en,
        "geom": geom,
        "source": profile.boundary_attribution,
    }
    with transaction.atomic():
        hromada = Hromada.objects.select_for_update().filter(code=profile.code).first()
        if hromada is None:
            return Hromada.objects.create(code=profile.code, **values), True
        unchanged = hromada.geom.equals_exact(geom, 1e-9) and all(
            getattr(hromada, field) == value for field, value in values.items() if field != "geom"
        )
        if unchanged:
            return hromada, False
        for field, value in values.items():
            setattr(hromada, field, value)
        hromada.full_clean()
        hromada.save()
        return hromada, True
