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
    assert settings.AXES_IPWARE_META_PRECEDENCE_ORDER == ("REMOTE_ADDR",)
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
