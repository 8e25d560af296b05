"""Proxy headers are believed only behind the portal's proxy: by default (``make run``, no
proxy in front) a client's X-Forwarded-Proto does not make a request secure and its
X-Forwarded-For is not the address the login throttle counts."""

import pytest
from django.conf import settings
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db


def _own_schemes(landing) -> set[str]:
    """The schemes of the landing page's links to the portal itself."""
    return {
        link["href"].split(":")[0] for link in landing["links"] if "//testserver" in link["href"]
    }


def test_by_default_no_proxy_header_is_believed():
    assert settings.GEOPORTAL_BEHIND_PROXY is False
    assert settings.SECURE_PROXY_SSL_HEADER is None
    assert settings.GEOPORTAL_CLIENT_ADDRESS_HEADERS == ("REMOTE_ADDR",)
    landing = Client().get("/ogc/?f=json", HTTP_X_FORWARDED_PROTO="https").json()
    assert _own_schemes(landing) == {"http"}


@override_settings(AXES_ENABLED=True)
def test_a_forwarded_address_from_a_client_is_not_the_one_counted():
    from axes.models import AccessAttempt

    Client(REMOTE_ADDR="192.0.2.10").post(
        "/admin/login/",
        {"username": "nobody", "password": "wrong password here"},
        HTTP_X_FORWARDED_FOR="203.0.113.66",
    )
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"192.0.2.10"}


@override_settings(SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"))
def test_behind_the_proxy_its_scheme_is_believed():
    landing = Client().get("/ogc/?f=json", HTTP_X_FORWARDED_PROTO="https").json()
    assert _own_schemes(landing) == {"https"}


@override_settings(
    AXES_ENABLED=True, GEOPORTAL_CLIENT_ADDRESS_HEADERS=("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
)
def test_behind_the_proxy_the_login_throttle_counts_each_client_not_the_proxy():
    """Behind nginx every request comes from the proxy's address: counted by it, ten wrong
    passwords anywhere in the city would lock every resident and clerk out together."""
    from axes.models import AccessAttempt

    for client_ip in ("203.0.113.66", "198.51.100.7"):
        Client(REMOTE_ADDR="127.0.0.1").post(
            "/admin/login/",
            {"username": "nobody", "password": "wrong password here"},
            HTTP_X_FORWARDED_FOR=client_ip,
        )
    counted = set(AccessAttempt.objects.values_list("ip_address", flat=True))
    assert counted == {"203.0.113.66", "198.51.100.7"}


@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [("203.0.113.66", "203.0.113.66"), ("10.0.0.1, 203.0.113.66", "203.0.113.66"),
     ("not an address", "127.0.0.1"), ("", "127.0.0.1")],
)  # fmt: skip
def test_the_believed_address_is_an_address_or_the_peer(forwarded, expected):
    from django.test import RequestFactory

    from geoportal.clients import client_address

    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    with override_settings(
        GEOPORTAL_CLIENT_ADDRESS_HEADERS=("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    ):
        assert client_address(request) == expected
