"""The printable PDF card of a published accessible object, read back with pdftotext."""

import shutil
import subprocess

import pytest

from layers.models import Status
from layers.models.accessibility import ChecklistSection
from layers.registry import registry_get
from tests.factories import assessment_record, published_record

pytestmark = pytest.mark.django_db

PDFTOTEXT = shutil.which("pdftotext")


@pytest.fixture
def registry():
    return registry_get("accessibility")


@pytest.fixture
def obj(registry):
    obj = published_record(
        registry,
        name="Центр надання адміністративних послуг",
        address="вул. Проскурівська, 1",
        category="administrative_services",
        owner="Хмельницька міська рада",
        entrance_step_free=True,
    )
    assessment_record(obj, year=2024, fail=1, assessed_by="Петренко О. І.")
    assessment_record(obj, year=2025, assessed_by="Коваль М. П.")
    obj.refresh_from_db()
    return obj


def card_url(obj, lang="") -> str:
    return f"{f'/{lang}' if lang else ''}/accessibility/{obj.public_id}/card.pdf"


def pdf_text(content: bytes) -> str:
    if PDFTOTEXT is None:
        pytest.fail("pdftotext is missing: `make test` installs Debian's poppler-utils")
    done = subprocess.run(
        [PDFTOTEXT, "-layout", "-", "-"], input=content, capture_output=True, check=True
    )
    return " ".join(done.stdout.decode().split())  # lines and columns as plain spaces


def test_card_is_a_pdf_of_the_latest_assessment_in_ukrainian(client, obj):
    response = client.get(card_url(obj))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    text = pdf_text(response.content)
    assert "Центр надання адміністративних послуг" in text
    assert "вул. Проскурівська, 1" in text
    assert "Хмельницька міська рада" in text
    assert "будівлі та споруди" in text  # the object group
    assert "Коваль М. П." in text  # the responsible person of 2025
    assert "безбар'єрний" in text  # the status of 2025, in Ukrainian
    assert "доступно" in text  # the traffic light
    assert "користувачі крісел колісних" in text  # a visitor profile
    sections = ChecklistSection.objects.filter(
        object_group="buildings_and_structures", criteria__isnull=False
    ).distinct()
    assert sections
    for section in sections:  # every section of its checklist that has criteria
        assert " ".join(section.title.split()) in text
    assert " так " in text  # the answers


def test_card_of_an_earlier_year(client, obj):
    text = pdf_text(client.get(card_url(obj), {"year": "2024"}).content)

    assert "Петренко О. І." in text
    assert "бар'єрний" in text and "безбар'єрний" not in text  # 2024: not barrier-free
    assert " ні " in text  # the failed criterion


def test_card_in_english(client, obj):
    text = pdf_text(client.get(card_url(obj, "en")).content)

    assert "barrier-free" in text
    assert "wheelchair users" in text


def test_card_of_an_object_never_assessed_is_printed_without_a_checklist(client, registry):
    obj = published_record(registry, name="Кав'ярня «Зерно»")

    response = client.get(card_url(obj, "en"))

    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "Кав'ярня «Зерно»" in text
    assert "No official assessment has been published yet." in text


def test_a_year_without_assessment_is_a_clear_404(client, obj):
    response = client.get(card_url(obj, "en"), {"year": "2023"})

    assert response.status_code == 404
    html = response.content.decode()
    assert "This object has no assessment of 2023." in html
    assert 'href="?year=2025"' in html and 'href="?year=2024"' in html
    assert f'href="/en/accessibility/{obj.public_id}/"' in html


@pytest.mark.parametrize(
    "year", ["abc", "", "20250", "-2025", "2025.0", "２０２５", "2020", "2101", ["2024", "2025"]]
)
def test_bad_year_values_are_400(client, obj, year):
    response = client.get(card_url(obj, "en"), {"year": year})

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "cannot be printed" in response.content.decode()


@pytest.mark.parametrize("status", [Status.DRAFT, Status.IN_REVIEW, Status.ARCHIVED])
def test_card_of_an_unpublished_object_is_404(client, registry, status):
    obj = published_record(registry, status=status)

    assert client.get(card_url(obj)).status_code == 404


def test_card_is_revalidated_by_its_etag_and_changes_with_what_it_prints(client, obj):
    first = client.get(card_url(obj))
    same = client.get(card_url(obj), HTTP_IF_NONE_MATCH=first["ETag"])
    obj.name = "ЦНАП «Прозорий офіс»"
    obj.save()
    changed = client.get(card_url(obj), HTTP_IF_NONE_MATCH=first["ETag"])

    assert same.status_code == 304
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]
    assert "ЦНАП «Прозорий офіс»" in pdf_text(changed.content)


def test_record_page_links_the_card_of_the_latest_and_of_earlier_years(client, obj):
    html = client.get(f"/en/accessibility/{obj.public_id}/").content.decode()

    assert f'href="{card_url(obj, "en")}"' in html
    assert "Print the card (PDF)" in html
    assert f'href="{card_url(obj, "en")}?year=2024"' in html
    assert f'href="{card_url(obj, "en")}?year=2025"' not in html  # the latest is the card
