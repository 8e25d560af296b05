"""The Debian deployment's files: the systemd units pass systemd's own check once filled in,
and the install script is valid shell."""

import shutil
import subprocess
from pathlib import Path

import pytest

from geoportal.env import BASE_DIR

UNITS = ("geoportal-web.service", "geoportal-worker.service", "geoportal-backup.service",
         "geoportal-backup.timer")  # fmt: skip


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze")
def test_the_systemd_units_pass_systemd_analyze_verify(tmp_path):
    prefix = tmp_path / "opt"
    prefix.mkdir()
    (prefix / "app").symlink_to(BASE_DIR)
    (prefix / "venv").symlink_to(BASE_DIR / ".venv")
    env_file = tmp_path / "geoportal.env"
    env_file.write_text("DJANGO_SETTINGS_MODULE=geoportal.settings.production\n")
    units = tmp_path / "units"
    units.mkdir()
    for name in UNITS:
        text = (BASE_DIR / "deploy" / "systemd" / name).read_text(encoding="utf-8")
        text = text.replace("@PREFIX@", str(prefix)).replace("@ENV_FILE@", str(env_file))
        assert "@" not in text.replace("%%", ""), name
        (units / name).write_text(text, encoding="utf-8")
    result = subprocess.run(
        [shutil.which("systemd-analyze"), "verify", *(str(units / n) for n in UNITS)],
        capture_output=True,
        text=True,
        check=False,
    )
    problems = [line for line in result.stderr.splitlines() if str(units) in line]
    assert result.returncode == 0 and not problems, result.stderr


def test_the_install_script_is_valid_shell():
    script = Path(BASE_DIR) / "bin" / "install-production"
    result = subprocess.run(["/bin/bash", "-n", str(script)], capture_output=True, check=False)
    assert result.returncode == 0, result.stderr
