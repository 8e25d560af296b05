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


@pytest.mark.django_db
@pytest.mark.parametrize("english", ["/en/", "/en/?x=1"])
def test_the_language_switch_leads_to_the_same_page_in_the_other_language(client, english):
    import re

    page = client.get(english, follow=True)
    html = page.content.decode()
    target = re.search(r'name="next" type="hidden" value="([^"]*)"', html).group(1)
    ukrainian = english.removeprefix("/en")
    assert target.replace("&amp;", "&") == ukrainian
    switched = client.post("/i18n/setlang/", {"language": "uk", "next": target})
    assert switched.status_code == 302 and switched["Location"] == ukrainian
    back = client.get("/", follow=True).content.decode()
    assert '<html lang="uk">' in back
    assert 'name="next" type="hidden" value="/en/"' in back
