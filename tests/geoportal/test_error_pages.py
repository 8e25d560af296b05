"""The error pages speak the page's language and lead somewhere, instead of Django's bare
English "Not Found" / "Server Error (500)"."""

import pytest
from django.test import Client, RequestFactory
from django.utils import translation
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "lang", "heading"),
    [
        ("/no-such-page/", "uk", "Сторінку не знайдено"),
        ("/en/no-such-page/", "en", "Page not found"),
    ],
)
def test_a_missing_page_says_so_in_the_pages_language(client, url, lang, heading):
    response = client.get(url)

    assert response.status_code == 404
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    assert f"<h1>{heading}</h1>" in html
    assert '<code translate="no">/' in html and "no-such-page/" in html
    assert 'href="/' in html  # the way on: the map, reports, the goals, open data


def test_the_address_of_a_missing_page_is_escaped(client):
    html = client.get("/%3Cscript%3Ealert(1)%3C/script%3E/").content.decode()

    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;" in html


def test_a_form_sent_without_its_token_is_explained_and_changes_nothing(django_user_model):
    client = Client(enforce_csrf_checks=True)

    response = client.post("/login/", {"username": "x", "password": "y"})

    assert response.status_code == 403
    html = response.content.decode()
    assert "Форма застаріла" in html and "Нічого не збережено" in html


def test_a_request_for_a_foreign_host_is_a_bad_request_page(client):
    response = client.get("/", HTTP_HOST="evil.example")

    assert response.status_code == 400
    assert "<h1>Невірний запит</h1>" in response.content.decode()


@pytest.mark.parametrize(
    ("lang", "heading"),
    [("uk", "На сервері сталася помилка"), ("en", "Something went wrong on the server")],
)
def test_the_server_error_page_needs_no_context_and_speaks_the_language(lang, heading):
    request = RequestFactory().get("/")
    with translation.override(lang):
        response = server_error(request)

    assert response.status_code == 500
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    assert f"<h1>{heading}</h1>" in html
