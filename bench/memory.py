"""Web worker memory: start `tradeloop serve --workers 2` on the data folder in TRADELOOP_DATA_DIR (the demo data:
`tradeloop demo --load-only`), serve the main pages to both workers, then print each worker's RSS, PSS and USS.

    TRADELOOP_DATA_DIR=var python -m bench.memory [--port 8150] [--rounds 20] [--serve-arg=--no-preload]

RSS counts every page the process maps (shared ones too), PSS divides shared pages among their sharers, USS is
what the process alone holds (what it frees when it exits, what one more worker costs). From /proc/PID/smaps_rollup.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request

SELLER = "wang@example.com"
PASSWORD = "tradeloop-demo"


def _memory(pid: int) -> dict[str, int]:
    fields = {}
    with open(f"/proc/{pid}/smaps_rollup") as rollup:
        for line in rollup:
            name, _, rest = line.partition(":")
            if rest.strip().endswith("kB"):
                fields[name] = int(rest.split()[0])
    uss = fields["Private_Clean"] + fields["Private_Dirty"]
    return {"rss": fields["Rss"] // 1024, "pss": fields["Pss"] // 1024, "uss": uss // 1024}


def _children(pid: int) -> list[int]:
    with open(f"/proc/{pid}/task/{pid}/children") as children:
        return [int(p) for p in children.read().split()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8150)
    parser.add_argument("--rounds", type=int, default=20, help="times each page is requested (new connection each)")
    parser.add_argument("--serve-arg", action="append", default=[], help="passed on to tradeloop serve")
    args = parser.parse_args(argv)
    base = f"http://127.0.0.1:{args.port}"
    serve = [sys.executable, "-m", "tradeloop.cli", "serve", "--port", str(args.port), "--workers", "2"]
    master = subprocess.Popen([*serve, *args.serve_arg], start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(base + "/healthz", timeout=5).close()
                break
            except OSError:
                time.sleep(0.3)
        time.sleep(1)
        workers = _children(master.pid)
        print("after start:", {pid: _memory(pid) for pid in workers}, "master:", _memory(master.pid))
        anonymous = urllib.request.build_opener()
        home = anonymous.open(base + "/", timeout=60).read().decode()
        detail = re.search(r'href="(/p/\d+/[^"]+)"', home).group(1)
        pages = ["/", "/products/", detail, "/search/?q=tea", "/search/?q=" + urllib.parse.quote("苹果"), "/healthz"]
        seller = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        form = seller.open(base + "/accounts/login/", timeout=60).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": SELLER, "password": PASSWORD})
        request = urllib.request.Request(base + "/accounts/login/", data=body.encode(), headers={"Referer": base})
        dashboard = seller.open(request, timeout=60).geturl()
        started = time.monotonic()
        for _ in range(args.rounds):
            for page in pages:
                anonymous.open(base + page, timeout=60).read()
            seller.open(base + "/console/", timeout=60).read()
            seller.open(dashboard, timeout=60).read()
        took = time.monotonic() - started
        print(f"served {args.rounds * (len(pages) + 2)} requests in {took:.1f} s (pages: {pages}, {dashboard})")
        after = {pid: _memory(pid) for pid in workers}
        print("after the pages:", after, "master:", _memory(master.pid))
        print("MB per worker (rss/pss/uss):", " ".join(f"{m['rss']}/{m['pss']}/{m['uss']}" for m in after.values()))
    finally:
        os.killpg(master.pid, signal.SIGTERM)
        master.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
