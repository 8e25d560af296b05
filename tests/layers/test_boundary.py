import pytest
from django.test import override_settings

from layers.hromada import hromada_profile
from layers.models import Hromada
from layers.services.boundary import hromada_load_boundary


@pytest.fixture
def kamianets():
    """Switch the deployment to the Kamianets-Podilskyi profile for one test."""
    hromada_profile.cache_clear()
    with override_settings(GEOPORTAL_HROMADA="kamianets-podilskyi"):
        yield hromada_profile()
    hromada_profile.cache_clear()


@pytest.mark.django_db
def test_configured_boundary_is_the_real_khmelnytskyi_hromada():
    hromada = Hromada.objects.get(code="UA68040470000053519")

    assert hromada.name_en == "Khmelnytskyi Urban Hromada"
    assert "OpenStreetMap" in hromada.source
    xmin, ymin, xmax, ymax = hromada.geom.extent
    assert (round(xmin, 2), round(ymin, 2), round(xmax, 2), round(ymax, 2)) == (
        26.71,
        49.30,
        27.33,
        49.56,
    )


@pytest.mark.django_db
def test_loading_the_boundary_again_changes_nothing():
    before = Hromada.objects.get(code=hromada_profile().code)

    hromada, changed = hromada_load_boundary(profile=hromada_profile())

    assert changed is False
    assert hromada.updated_at == before.updated_at
    assert Hromada.objects.count() == 1


@pytest.mark.django_db
def test_another_hromada_is_deployed_by_configuration_only(kamianets, client):
    hromada, changed = hromada_load_boundary(profile=kamianets)

    assert changed is True
    assert hromada.code == "UA68020110000071202"
    assert hromada.geom.contains(hromada.geom.point_on_surface)
    html = client.get("/en/").content.decode()
    assert "Kamianets-Podilskyi Geoportal" in html


@pytest.mark.django_db
@pytest.mark.parametrize("offset_m", [-60, -25, -8, -1, 1, 8, 25, 60])
def test_the_margin_beyond_the_boundary_is_exact_in_metres(offset_m):
    """Accepted up to the margin and refused beyond it, to the metre, whether the point is
    decided by the WGS 84 bands (a bulk import's fast path) or reprojected."""
    from django.conf import settings
    from django.contrib.gis.gdal import CoordTransform, SpatialReference

    from layers.models.boundary import hromada_area_contains

    epsg = int(hromada_profile().projected_crs.removeprefix("EPSG:"))
    there = CoordTransform(SpatialReference(4326), SpatialReference(epsg))
    back = CoordTransform(SpatialReference(epsg), SpatialReference(4326))
    boundary = Hromada.objects.get(code=hromada_profile().code).geom.transform(there, clone=True)
    ring = boundary.buffer(settings.GEOPORTAL_BOUNDARY_MARGIN_M + offset_m).boundary
    points = [ring.interpolate_normalized(share / 7) for share in range(7)]

    for point in points:
        point.srid = epsg
        found = hromada_area_contains(point.transform(back, clone=True))
        assert found is (offset_m < 0), (offset_m, point.coords)
