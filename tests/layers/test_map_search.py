"""The map's search, distances and nearest question against PostGIS: what is found, in what
order, what the answers say when they are cut, metres measured by hand, hostile input."""

import pytest
from django.contrib.gis.geos import Point
from django.db import connection
from django.test.utils import CaptureQueriesContext

from layers.models.waste import Container
from layers.registry import public_registries, registry_get
from layers.selectors.search import QUERY_MAX_WORDS, map_search, query_words
from tests.factories import CENTRE, published_record, registry_ids

pytestmark = pytest.mark.django_db

LON, LAT = CENTRE
# Points around the centre whose distances on the WGS 84 spheroid were worked out by hand:
# along the meridian M·Δφ, M = a(1−e²)/(1−e² sin²φ)^1.5 = 6 372 316 m at 49.4218°;
# along the parallel N·cos φ·Δλ, N = a/√(1−e² sin²φ) = 6 390 488 m. In degrees the
# northern one is the nearer (0.0009° < 0.0012°); on the ground the eastern one is.
NORTH = (LON, LAT + 0.0009)  # 100.1 m
EAST = (LON + 0.0012, LAT)  # 87.1 m
FAR_EAST = (LON + 0.0020, LAT)  # 145.1 m
NORTH_M, EAST_M, FAR_EAST_M = 100.1, 87.1, 145.1


def waste_site(name, *, at=CENTRE, address="", fractions=()):
    site = published_record(
        registry_get("waste-sites"), name=name, address=address, geom=Point(*at, srid=4326)
    )
    for fraction in fractions:
        Container.objects.create(site=site, fraction=fraction, volume_l=1100)
    return site


def search(client, q, lang=""):
    prefix = f"/{lang}" if lang else ""
    response = client.get(f"{prefix}/map/search.json", {"q": q})
    assert response.status_code == 200, response.content[:300]
    return response.json()


def titles(body, collection=None):
    return [r["title"] for r in body["results"] if collection in (None, r["collection"])]


# --- Search -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "q",
    [
        "Проскурівська 139",
        "проскурівська, 139",
        "вул. Проскурівська 139",
        "вулиця Проскурівська 139",
        "139 Проскурівська",
        "Проскур 139",
        "Проскурівька 139",  # a letter missing
        "Праскурівська",  # a wrong letter
    ],
)
def test_search_finds_an_address_however_it_is_written(client, q):
    waste_site("Майданчик біля школи", address="вул. Проскурівська, 139")
    waste_site("Майданчик на Подільській", address="вул. Подільська, 13")

    assert titles(search(client, q)) == ["Майданчик біля школи"]


def test_search_finds_a_name_across_layers_and_not_drafts(client):
    published_record(registry_get("accessibility"), name="ЦНАП Центральний")
    waste_site("Майданчик", address="вул. Центральна, 5")
    published_record(registry_get("heritage"), name="Центральна чернетка", status="draft")

    body = search(client, "централ")

    assert {r["collection"] for r in body["results"]} == {"accessibility", "waste-sites"}


@pytest.mark.parametrize(
    ("q", "lang"),
    [("скло", ""), ("Скло", "en"), ("glass", ""), ("GLASS", "en"), ("склo", "")],
)
def test_search_finds_waste_sites_by_the_fraction_they_take_in_either_language(client, q, lang):
    waste_site("Двір на Зарічанській", fractions=("glass", "plastic"))
    waste_site("Двір на Свободи", fractions=("paper",))

    body = search(client, q, lang)

    assert titles(body, "waste-sites") == ["Двір на Зарічанській"]


def test_search_finds_batteries_by_fraction_and_by_the_kind_that_takes_them(client):
    waste_site("Пункт А", fractions=("batteries",))
    published_record(registry_get("waste-sites"), name="Пункт Б", kind="hazardous")
    waste_site("Пункт В", fractions=("glass",))

    assert sorted(titles(search(client, "батарейки"))) == ["Пункт А", "Пункт Б"]
    assert sorted(titles(search(client, "batteries", "en"))) == ["Пункт А", "Пункт Б"]


def test_search_finds_other_layers_by_their_choice_labels(client):
    published_record(registry_get("green-areas"), name="Без назви 1", kind="square")
    published_record(registry_get("green-areas"), name="Без назви 2", kind="park")

    assert titles(search(client, "square", "en"), "green-areas") == ["Без назви 1"]
    assert titles(search(client, "сквер"), "green-areas") == ["Без назви 1"]


def test_search_says_per_layer_when_it_shows_only_the_first(client):
    for i in range(7):
        waste_site(f"Майданчик {i}", address="вул. Кам’янецька, 2")
    published_record(registry_get("accessibility"), name="Майданчик для зборів")

    body = search(client, "майданчик")

    layers = {layer["collection"]: layer for layer in body["layers"]}
    assert layers["waste-sites"]["shown"] == 5 and layers["waste-sites"]["more"] is True
    assert layers["accessibility"] == {
        "collection": "accessibility",
        "title": "Безбар'єрність будівель і місць",
        "shown": 1,
        "more": False,
    }
    assert len(titles(body, "waste-sites")) == 5


def test_search_says_nothing_is_cut_at_exactly_the_limit(client):
    for i in range(5):
        waste_site(f"Майданчик {i}")

    (layer,) = search(client, "майданчик")["layers"]

    assert layer["shown"] == 5 and layer["more"] is False


def test_search_ranks_the_name_first_then_words_of_the_name_then_the_address_then_typos(client):
    waste_site("Поділля, двір", address="вул. Шевченка, 1")
    waste_site("Двір Поділля", address="вул. Шевченка, 2")
    waste_site("Двір", address="вул. Подільська, 3, Поділля")
    waste_site("Двір", address="вул. Подоляни, 4")
    waste_site("Поділля")

    rows = search(client, "Поділля")["results"]

    assert [(r["title"], r["address"]) for r in rows] == [
        ("Поділля", ""),  # the name begins with the query; the two in Ukrainian order
        ("Поділля, двір", "вул. Шевченка, 1"),
        ("Двір Поділля", "вул. Шевченка, 2"),  # the name has the word
        ("Двір", "вул. Подільська, 3, Поділля"),  # the address has it
    ]


def test_search_results_of_equal_relevance_are_in_ukrainian_order(client):
    for name in ("Яблуневий сквер", "Іванів сквер", "Євгенів сквер", "Абрикосовий сквер"):
        published_record(registry_get("accessibility"), name=name)

    assert titles(search(client, "сквер")) == [
        "Абрикосовий сквер",
        "Євгенів сквер",
        "Іванів сквер",
        "Яблуневий сквер",
    ]


def test_the_best_layer_comes_first(client):
    waste_site("Двір", address="вул. Липова, 1")
    published_record(registry_get("accessibility"), name="Липова")

    assert [layer["collection"] for layer in search(client, "липова")["layers"]] == [
        "accessibility",
        "waste-sites",
    ]


@pytest.mark.parametrize(
    "q",
    [
        "",
        "а",
        "  ",
        "%%",
        "%",
        "__",
        "_a",
        "\\\\",
        "a\\",
        "!!!???",
        "'; DROP TABLE layers_wastesite; --",
        "a' OR '1'='1",
        "скло & !пластик | (папір:*)",
        "<->",
        ":*",
        "a:* & b",
        "\u2028\u2029",
        "😀😀",
        "Проскурівська " * 200,
        "x" * 5000,
        " ".join(["слово"] * 60),
    ],
)
def test_hostile_queries_are_answered_without_error(client, q):
    waste_site("Майданчик", address="вул. Проскурівська, 139", fractions=("glass",))

    response = client.get("/map/search.json", {"q": q})

    assert response.status_code == 200
    assert set(response.json()) == {"results", "layers"}


def test_a_nul_in_the_query_is_refused_with_400(client):
    assert client.get("/map/search.json", {"q": "ab\x00cd"}).status_code == 400


def test_a_long_query_is_cut_to_a_few_words():
    assert len(query_words("слово " * 100)) == QUERY_MAX_WORDS
    assert query_words("вул.Проскурівська,139") == ["вул", "проскурівська", "139"]


def test_search_costs_one_query_per_layer():
    waste_site("Майданчик", fractions=("glass",))
    layers = len(public_registries())

    with CaptureQueriesContext(connection) as queries:
        map_search("скло")

    # Besides: the trees' species (their labels) in each language, and the registry
    # definitions with their change stamp.
    assert len(queries) <= layers + 4


@pytest.mark.parametrize("registry", registry_ids(), indirect=True)
def test_a_nearest_question_names_a_choice_filter_of_its_layer(registry):
    if registry.nearest_filter:
        specs = {spec.key: spec for spec in registry.map_filters()}
        assert registry.nearest_filter in specs
        assert not specs[registry.nearest_filter].flag
        assert str(registry.nearest_label)


# --- The list nearest first -------------------------------------------------------------------


def list_json(client, **params):
    return client.get("/map/list.json", {"collection": "waste-sites", **params})


def test_the_list_near_a_position_is_nearest_first_in_metres_on_the_ground(client):
    waste_site("Північ", at=NORTH)
    waste_site("Схід", at=EAST)
    waste_site("Далі на схід", at=FAR_EAST)

    body = list_json(client, near=f"{LAT},{LON}").json()

    rows = [(row["title"], row["distance_m"]) for row in body["results"]]
    assert [title for title, _ in rows] == ["Схід", "Північ", "Далі на схід"]
    for (_, metres), expected in zip(rows, (EAST_M, NORTH_M, FAR_EAST_M), strict=True):
        assert metres == pytest.approx(expected, abs=1)


def test_the_list_without_a_position_stays_in_ukrainian_order_without_distances(client):
    waste_site("Яр", at=CENTRE)
    waste_site("Єва", at=FAR_EAST)
    waste_site("Ірпінь", at=NORTH)

    body = list_json(client).json()

    assert [row["title"] for row in body["results"]] == ["Єва", "Ірпінь", "Яр"]
    assert all("distance_m" not in row for row in body["results"])


def test_the_list_near_a_position_pages_on(client):
    for i in range(25):
        waste_site(f"Майданчик {i:02d}", at=(LON + 0.0001 * i, LAT))

    first = list_json(client, near=f"{LAT},{LON}").json()
    second = list_json(client, near=f"{LAT},{LON}", page=2).json()

    distances = [row["distance_m"] for row in first["results"] + second["results"]]
    assert distances == sorted(distances) and len(distances) == 25
    assert second["results"][-1]["title"] == "Майданчик 24"


@pytest.mark.parametrize(
    "near",
    [
        "49.4",
        "49.4,27,1",
        "north,east",
        "nan,27",
        "49.4,inf",
        "91,27",
        "49.4,-181",
        "1e400,27",
        "49.4;27",
        "4" * 100 + ",27",
        ",",
    ],
)
def test_a_bad_position_is_refused_with_a_clear_400(client, near):
    response = list_json(client, near=near)

    assert response.status_code == 400
    assert response.json()["error"].startswith("near: ")


# --- The nearest question ---------------------------------------------------------------------


def nearest(client, **params):
    return client.get("/map/nearest.json", {"collection": "waste-sites", **params})


def test_nearest_site_that_takes_glass_is_the_nearest_on_the_ground(client):
    waste_site("Скло на півночі", at=NORTH, fractions=("glass",))
    waste_site("Скло далі на схід", at=FAR_EAST, fractions=("glass", "paper"))
    waste_site("Лише папір, найближчий", at=CENTRE, fractions=("paper",))
    draft = waste_site("Чернетка зі склом", at=EAST, fractions=("glass",))
    draft.status = "draft"
    draft.save()

    body = nearest(client, fraction="glass", near=f"{LAT},{LON}").json()

    assert [(r["title"], r["distance_m"]) for r in body["results"]] == [
        ("Скло на півночі", pytest.approx(NORTH_M, abs=1)),
        ("Скло далі на схід", pytest.approx(FAR_EAST_M, abs=1)),
    ]
    first = body["results"][0]
    assert (first["lon"], first["lat"]) == pytest.approx(NORTH, abs=1e-6)
    assert first["url"].startswith("/waste-sites/")


def test_nearest_gives_at_most_three(client):
    for i in range(5):
        waste_site(f"Скло {i}", at=(LON + 0.001 * i, LAT), fractions=("glass",))

    body = nearest(client, fraction="glass", near=f"{LAT},{LON}").json()

    assert [r["title"] for r in body["results"]] == ["Скло 0", "Скло 1", "Скло 2"]


def test_nearest_with_nothing_that_takes_it_is_an_empty_answer(client):
    waste_site("Папір", fractions=("paper",))

    body = nearest(client, fraction="textiles", near=f"{LAT},{LON}").json()

    assert body["results"] == []


@pytest.mark.parametrize(
    "params",
    [
        {"fraction": "glass"},  # no position
        {"fraction": "glass", "near": "here"},
        {"near": "49.4,27"},  # no value
        {"fraction": "glass,paper", "near": "49.4,27"},
        {"fraction": "gold", "near": "49.4,27"},
        {"collection": "trees", "near": "49.4,27"},  # a layer without the question
        {"collection": "nothing", "fraction": "glass", "near": "49.4,27"},
    ],
)
def test_nearest_refuses_what_it_cannot_answer_with_400(client, params):
    response = nearest(client, **params)

    assert response.status_code == 400
    assert response.json()["error"]


def test_the_map_page_asks_the_nearest_question_of_the_waste_layer(client):
    html = client.get("/en/").content.decode()

    assert 'id="nearest-waste-sites"' in html
    assert "Nearest site that takes" in html
    assert '<option value="glass">glass</option>' in html
