import pytest


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "lang", "title"),
    [
        ("/", "uk", "Геопортал Хмельницької міської громади"),
        ("/en/", "en", "Khmelnytskyi Geoportal"),
    ],
)
def test_home_page_is_served_in_ukrainian_and_english(client, url, lang, title):
    response = client.get(url)

    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    assert title in html
    assert 'id="hromada-boundary"' in html
    assert "MultiPolygon" in html


@pytest.mark.django_db
def test_admin_login_page_is_reachable(client):
    assert client.get("/admin/login/").status_code == 200
