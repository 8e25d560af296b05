"""The map's list as a resident reads it: records in Ukrainian alphabetical order (А Б В Г Ґ
Д Е Є Ж З И І Ї Й К …), not in the order of code points that puts Є, І, Ї and Ґ apart."""

import pytest
from django.contrib.gis.geos import Point
from django.core.management import call_command

from layers.registry import registry_get
from tests.factories import CENTRE, published_record
from tests.layers.test_record_pages_people import IN_ORDER, NAMES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_map_list_is_in_ukrainian_alphabetical_order(live_server, page):
    call_command("load_boundary", verbosity=0)
    registry = registry_get("accessibility")
    lon, lat = CENTRE
    for i, name in enumerate(NAMES):
        published_record(registry, name=name, geom=Point(lon + i * 0.0002, lat, srid=4326))
    page.goto(f"{live_server.url}/#map=16/{lat:.5f}/{lon + 0.001:.5f}&layers=accessibility")
    page.wait_for_selector('#map-list-body section[data-layer="accessibility"] .record-item')
    page.wait_for_function("() => document.getElementById('map-list-body').ariaBusy === 'false'")

    titles = page.locator(
        '#map-list-body section[data-layer="accessibility"] .record-item-title'
    ).all_inner_texts()

    assert titles == IN_ORDER
    assert page.console_errors == []
