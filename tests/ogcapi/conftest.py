import json

import pytest

from layers.models import Status
from tests.factories import make_record, published_record


def body(response) -> bytes:
    """The whole body of a response, streamed or not (gzip not undone)."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def json_body(response) -> dict:
    return json.loads(body(response))


def publish(registry, count: int = 1, *, status: str = Status.PUBLISHED, **overrides) -> list:
    """Save ``count`` valid records of the registry with this status."""
    records = []
    for index in range(count):
        named = "name" in {f.name for f in registry.model._meta.fields}
        if named and "name" not in overrides:
            name = make_record(registry).name or "record"
            records.append(published_record(registry, status=status, name=f"{name} {index}",
                                            **overrides))  # fmt: skip
        else:
            records.append(published_record(registry, status=status, **overrides))
    return records


@pytest.fixture
def get(client):
    """GET a URL as an API client does (JSON unless told otherwise)."""

    def fetch(url, data=None, *, accept="application/json", **headers):
        return client.get(url, data, HTTP_ACCEPT=accept, **headers)

    return fetch
