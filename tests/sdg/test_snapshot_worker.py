"""On demand in the admin: the action defers the snapshots to the task queue, and the real
worker process takes them (Procrastinate on the portal's PostgreSQL)."""

import subprocess
import sys
import time

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from sdg.models import Indicator, Snapshot
from tests.imports.test_worker import ROOT, _env, _stop
from tests.sdg.conftest import A_CENTRE, tree

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_admin_action_snapshots_in_the_worker(settlements, indicators):
    tree(A_CENTRE, condition="hazardous")
    admin = get_user_model().objects.create_superuser("sdg-admin", password="x" * 16)
    client = Client()
    client.force_login(admin)
    chosen = Indicator.objects.filter(code__in=["15-kh-1", "15-kh-2", "12-5-kh-1"])
    response = client.post(
        "/en/admin/sdg/indicator/",
        {"action": "snapshot_now", "_selected_action": [str(i.pk) for i in chosen]},
    )
    assert response.status_code == 302
    assert Snapshot.objects.count() == 0  # deferred, not done in the request
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "procrastinate", "worker", "--queues", "default"],
        cwd=ROOT,
        env=_env(),
    )
    try:
        deadline = time.monotonic() + 90
        while Snapshot.objects.count() < 2 and time.monotonic() < deadline:
            time.sleep(0.3)
    finally:
        _stop(worker)
    # The two computed ones; the entered indicator has nothing to snapshot.
    assert sorted(Snapshot.objects.values_list("indicator__code", flat=True)) == [
        "15-kh-1",
        "15-kh-2",
    ]
    assert Snapshot.objects.get(indicator__code="15-kh-2").value == pytest.approx(100.0)
