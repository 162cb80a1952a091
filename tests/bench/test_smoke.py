"""The benchmark's own parts that need no database: sizes on the command line, the floor app's fixed page.
(The data generator is exercised by `python -m bench` itself; a database test here would cost minutes.)"""

import os
import subprocess
import sys
from pathlib import Path

from bench.__main__ import label_of, parse_size

REPO = Path(__file__).resolve().parents[2]


def test_sizes_read_and_name_both_ways():
    assert [parse_size(s) for s in ("10k", "100K", "1m", "2500")] == [10_000, 100_000, 1_000_000, 2_500]
    assert [label_of(n) for n in (10_000, 1_000_000, 2_500)] == ["10k", "1m", "2500"]


def test_floor_app_answers_its_fixed_page():
    code = (
        "from bench.floor import application\n"
        "seen = []\n"
        "body = b''.join(application({'REQUEST_METHOD': 'GET', 'PATH_INFO': '/', 'SERVER_NAME': 'x',"
        " 'SERVER_PORT': '80', 'wsgi.input': __import__('io').BytesIO(), 'wsgi.url_scheme': 'http'},"
        " lambda status, headers: seen.append(status)))\n"
        "print(seen[0], len(body))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, check=True)
    status, size = out.stdout.rsplit(" ", 1)
    assert status == "200 OK" and int(size) > 1000
