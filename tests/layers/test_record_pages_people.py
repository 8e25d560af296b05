"""Record pages as residents read them: opening hours in words, tappable phones and
emails, Ukrainian alphabetical order of public lists, the language switch both ways."""

import datetime
import re
from types import SimpleNamespace
from urllib.parse import unquote

import pytest
from django.utils import translation

from layers.models.datasets import FieldType
from layers.registry import registry_get
from layers.rules.opening_hours import opening_hours_text
from layers.selectors.accessibility import accessibility_programme_years
from layers.selectors.map import map_list, property_display
from layers.selectors.search import map_search
from layers.templatetags.languages import address_in
from layers.views.records import _href, _tel_href
from tests.factories import published_record

# A Wednesday: the week read is Monday 1 – Sunday 7 June 2026 (no season in the values).
TODAY = datetime.date(2026, 6, 3)
UKRAINIAN_ALPHABET = "АБВГҐДЕЄЖЗИІЇЙКЛМНОПРСТУФХЦЧШЩЬЮЯ"


def _words(raw: str, lang: str) -> list[tuple[str, str]]:
    with translation.override(lang):
        text = opening_hours_text(raw, today=TODAY)
        return [(group.days, group.hours) for group in text.groups]


# --- Opening hours ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (
            "Mo-Fr 08:00-17:00; Sa 09:00-13:00",
            [("Mon–Fri", "08:00–17:00"), ("Sat", "09:00–13:00"), ("Sun", "closed")],
        ),
        ("24/7", [("every day", "open 24 hours")]),
        ("Mo-Su 08:00-20:00", [("every day", "08:00–20:00")]),
        (
            "Mo-Fr 09:00-18:00; Sa,Su off",
            [("Mon–Fri", "09:00–18:00"), ("Sat, Sun", "closed")],
        ),
        (
            "Mo-Fr 08:00-12:00,13:00-17:00; We off",
            [
                ("Mon, Tue", "08:00–12:00, 13:00–17:00"),
                ("Wed", "closed"),
                ("Thu, Fri", "08:00–12:00, 13:00–17:00"),
                ("Sat, Sun", "closed"),
            ],
        ),
        ("Mo-Sa 20:00-24:00", [("Mon–Sat", "20:00–24:00"), ("Sun", "closed")]),
        # Open past midnight: one range of the evening, not the evening and the morning.
        ("Mo-Su 22:00-02:00", [("every day", "22:00–02:00")]),
        (
            "Fr-Sa 20:00-03:00",
            [("Mon–Thu", "closed"), ("Fri, Sat", "20:00–03:00"), ("Sun", "closed")],
        ),
        (
            'Mo-Fr 08:00-17:00 "by appointment"',
            [("Mon–Fri", "08:00–17:00 (by appointment)"), ("Sat, Sun", "closed")],
        ),
    ],
)
def test_opening_hours_are_told_in_words(raw, words):
    assert _words(raw, "en") == words


def test_opening_hours_are_told_in_ukrainian_on_ukrainian_pages():
    words = _words("Mo-Fr 08:00-17:00; Sa 09:00-13:00", "uk")

    assert words == [("Пн–Пт", "08:00–17:00"), ("Сб", "09:00–13:00"), ("Нд", "зачинено")]
    assert _words("24/7", "uk") == [("щодня", "цілодобово")]


def test_seasonal_hours_are_this_weeks_and_say_so():
    raw = "May-Sep Mo-Su 08:00-20:00; Oct-Apr Mo-Fr 09:00-17:00"
    with translation.override("en"):
        winter = opening_hours_text(raw, today=datetime.date(2026, 12, 1))
        summer = opening_hours_text(raw, today=TODAY)

    assert winter.this_week_only and summer.this_week_only
    assert (winter.groups[0].days, winter.groups[0].hours) == ("Mon–Fri", "09:00–17:00")
    assert [(g.days, g.hours) for g in summer.groups] == [("every day", "08:00–20:00")]
    assert not opening_hours_text("Mo-Fr 08:00-17:00", today=TODAY).this_week_only


@pytest.mark.parametrize(
    "raw",
    ["garbage ++", "Mo-Fr 25:00-26:00 oops", "по буднях з 9", "Mo-Fr 08:00-17:00 unknown"],
)
def test_an_unreadable_value_is_kept_as_written(raw):
    text = opening_hours_text(raw, today=TODAY)

    assert not text.understood and text.raw == raw


@pytest.mark.django_db
def test_waste_page_shows_opening_hours_in_words_and_the_raw_value(client):
    registry = registry_get("waste-sites")
    record = published_record(registry, opening_hours="Mo-Fr 08:00-17:00; Sa 09:00-13:00")

    html = client.get(f"/{registry.id}/{record.public_id}/").content.decode()

    assert "Пн–Пт" in html and "08:00–17:00" in html
    assert "<code>Mo-Fr 08:00-17:00; Sa 09:00-13:00</code>" in html


@pytest.mark.django_db
def test_waste_page_with_garbage_opening_hours_shows_them_raw(client):
    registry = registry_get("waste-sites")
    record = published_record(registry, opening_hours="щось не те ++")

    response = client.get(f"/en/{registry.id}/{record.public_id}/")

    assert response.status_code == 200
    assert '<code class="opening-hours-raw">щось не те ++</code>' in response.content.decode()


# --- Phones and emails ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "href"),
    [
        ("+380 (382) 65-12-34", "tel:+380382651234"),
        ("0382 65 12 34", "tel:0382651234"),
        ("  +38 067 123 45 67 ", "tel:+380671234567"),
        ("—", ""),
    ],
)
def test_phone_links_dial_the_digits(written, href):
    assert _tel_href(written) == href


@pytest.mark.django_db
def test_accessibility_page_has_a_tappable_phone(client):
    registry = registry_get("accessibility")
    record = published_record(registry, phone="+380 (382) 65-12-34")

    html = client.get(f"/{registry.id}/{record.public_id}/").content.decode()

    assert '<a href="tel:+380382651234">+380 (382) 65-12-34</a>' in html


def test_phone_and_email_fields_of_a_registry_defined_as_data_are_links():
    # A registry defined as data says a field's type in its spec (built-ins publish no email).
    specs = {"hotline": FieldType.PHONE, "contact": FieldType.EMAIL, "note": FieldType.TEXT}
    registry = SimpleNamespace(spec=lambda name: SimpleNamespace(type=specs[name]))

    assert _href(registry, "hotline", "+380 67 000 00 00") == "tel:+380670000000"
    assert _href(registry, "contact", "info@park.ua") == "mailto:info@park.ua"
    assert _href(registry, "note", "info@park.ua") == ""
    assert _href(registry, "note", "https://park.ua/") == "https://park.ua/"


# --- Ukrainian alphabetical order -------------------------------------------------------------

NAMES = ["Ясен", "Їжак", "Абрикос", "Ґудзик", "Іван", "Єва", "Гай", "Бук", "Жито", "Йод", "Кіт"]
IN_ORDER = ["Абрикос", "Бук", "Гай", "Ґудзик", "Єва", "Жито", "Іван", "Їжак", "Йод", "Кіт", "Ясен"]


def test_the_expected_order_is_the_ukrainian_alphabet():
    assert sorted(NAMES, key=lambda n: UKRAINIAN_ALPHABET.index(n[0])) == IN_ORDER


@pytest.mark.django_db
def test_map_list_is_in_ukrainian_alphabetical_order():
    registry = registry_get("accessibility")
    for name in NAMES:
        published_record(registry, name=name)

    rows = map_list(registry, page_size=50)["results"]

    assert [row["title"] for row in rows] == IN_ORDER


@pytest.mark.django_db
def test_search_results_are_in_ukrainian_alphabetical_order():
    registry = registry_get("accessibility")
    for name in NAMES:
        published_record(registry, name=f"{name} сквер")

    rows = map_search("сквер", registries=[registry], limit=50)["results"]

    assert [row["title"].removesuffix(" сквер") for row in rows] == IN_ORDER


@pytest.mark.django_db
def test_award_winners_of_a_year_are_in_ukrainian_alphabetical_order():
    registry = registry_get("accessibility")
    for name in NAMES:
        published_record(registry, name=name, award_year=2025)

    (year,) = accessibility_programme_years(programme="award")

    assert [record["title"] for record in year.records] == IN_ORDER


# --- Numbers ----------------------------------------------------------------------------------


def test_large_numbers_are_grouped_in_ukrainian_and_years_are_not():
    registry = registry_get("green-areas")
    with translation.override("uk"):
        assert property_display(registry, "area_m2", 12345.4).startswith("12\xa0345\xa0")
        assert property_display(registry, "area_m2", 1250).startswith("1250\xa0")
        assert property_display(registry, "award_year", 2025) == "2025"
    with translation.override("en"):
        assert property_display(registry, "area_m2", 12345) == "12,345\xa0m²"


def test_area_unit_is_written_in_ukrainian():
    with translation.override("uk"):
        assert property_display(registry_get("green-areas"), "area_m2", 10).endswith("м²")


# --- The language switch ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "code", "moved"),
    [
        ("/en/", "uk", "/"),
        ("/en", "uk", "/"),
        ("/", "en", "/en/"),
        ("/en/#map=13/49.4/27.0&layers=trees", "uk", "/#map=13/49.4/27.0&layers=trees"),
        ("/#map=13/49.4/27.0", "en", "/en/#map=13/49.4/27.0"),
        ("/en/trees/abc/?x=1&y=2", "uk", "/trees/abc/?x=1&y=2"),
        ("/accessibility/awards/", "en", "/en/accessibility/awards/"),
        ("/en/accessibility/awards/", "en", "/en/accessibility/awards/"),
        ("/english-garden/", "en", "/en/english-garden/"),
        ("https://evil.example/en/", "uk", "https://evil.example/en/"),
    ],
)
def test_an_address_moves_to_the_other_language_by_its_prefix(address, code, moved):
    assert address_in(address, code) == moved


def _public_pages(db_records) -> list[str]:
    accessibility, waste = db_records
    return [
        "/",
        "/?q=сквер&x=1",
        "/accessibility/awards/",
        f"/accessibility/{accessibility.public_id}/",
        f"/waste-sites/{waste.public_id}/",
        "/login/",
    ]


@pytest.fixture
def db_records(db):
    return (
        published_record(registry_get("accessibility"), name="Кав'ярня", award_year=2025),
        published_record(registry_get("waste-sites"), opening_hours="24/7"),
    )


def _next_field(html: str) -> str:
    return re.search(r'name="next" type="hidden" value="([^"]*)"', html).group(1)


@pytest.mark.django_db
def test_the_language_switch_goes_both_ways_from_every_public_page_type(client, db_records):
    for ukrainian in _public_pages(db_records):
        english = "/en" + ukrainian
        page = client.get(ukrainian)
        assert page.status_code == 200, ukrainian
        assert '<html lang="uk">' in page.content.decode()
        to_english = client.post(
            "/i18n/setlang/",
            {"language": "en", "next": _next_field(page.content.decode()).replace("&amp;", "&")},
        )
        assert unquote(to_english["Location"]) == english, ukrainian
        html = client.get(english).content.decode()
        assert '<html lang="en">' in html, english
        back = client.post(
            "/i18n/setlang/",
            {"language": "uk", "next": _next_field(html).replace("&amp;", "&")},
        )
        assert unquote(back["Location"]) == ukrainian, english
        assert '<html lang="uk">' in client.get(ukrainian).content.decode()


@pytest.mark.django_db
def test_the_switch_corrects_a_next_address_a_script_left_in_the_old_language(client):
    # The map keeps its view in the fragment and writes the page's own path into ``next``.
    switched = client.post(
        "/i18n/setlang/", {"language": "uk", "next": "/en/#map=13/49.42/26.99&layers=trees"}
    )

    assert switched.status_code == 302
    assert switched["Location"] == "/#map=13/49.42/26.99&layers=trees"
    assert switched.cookies["django_language"].value == "uk"


@pytest.mark.django_db
def test_the_switch_still_refuses_another_host(client):
    switched = client.post("/i18n/setlang/", {"language": "uk", "next": "https://evil.example/"})

    assert switched["Location"] == "/"


# --- Dates ------------------------------------------------------------------------------------


def test_dates_are_written_the_ukrainian_way():
    registry = registry_get("accessibility")
    moment = datetime.datetime(2026, 5, 4, 6, 30, tzinfo=datetime.UTC)
    with translation.override("uk"):
        assert property_display(registry, "verified_on", datetime.date(2026, 5, 4)) == (
            "4 травня 2026 р."
        )
        # Stored in UTC, told in the hromada's time (Kyiv, UTC+3 in summer).
        assert property_display(registry, "updated_at", moment) == "4 травня 2026 р. 09:30"
    with translation.override("en"):
        assert property_display(registry, "verified_on", datetime.date(2026, 5, 4)) == (
            "May 4, 2026"
        )
