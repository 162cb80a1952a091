"""The installed `tradeloop` script: its own help, and everything else passed through to Django management."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tradeloop.cli import main

SCRIPT = shutil.which("tradeloop", path=str(Path(sys.executable).parent)) or "tradeloop"


def test_help_lists_the_commands(capsys):
    assert main([]) == 0
    out = capsys.readouterr().out
    for command in ("demo", "serve", "worker", "import-catalog", "createsuperuser"):
        assert command in out


def test_the_script_defaults_the_settings_module_and_passes_django_commands_through(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}}
    env["TRADELOOP_DATA_DIR"] = str(tmp_path)
    done = subprocess.run(
        [SCRIPT, "showmigrations", "catalog"], env=env, capture_output=True, text=True, timeout=60, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert "[ ] 0001_initial" in done.stdout
