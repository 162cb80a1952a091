"""Requests per second for the pages and API lists people hit most, served the production way.

    .venv/bin/python bench/http_pages.py [--seconds 10] [--clients 8] [--workers 2]

Loads the demo into a scratch data folder (SQLite, or DATABASE_URL), starts `tradeloop serve` with N gunicorn
workers on a free port, then runs C client threads against each URL for S seconds (keep-alive off, like
browsers spread over many users) and prints requests/s and latency percentiles. Bounded in time, loopback only.
"""

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

URLS = ["/", "/products/", "/products/?sort=price_asc", "/api/v1/products", "/api/v1/categories"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"{url} did not answer")


def hammer(url: str, seconds: float, clients: int) -> tuple[int, list[float], int]:
    stop = time.monotonic() + seconds
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()

    def client() -> None:
        nonlocal errors
        while time.monotonic() < stop:
            started = time.perf_counter()
            try:
                urllib.request.urlopen(url, timeout=10).read()
                took = time.perf_counter() - started
                with lock:
                    latencies.append(took)
            except OSError:
                with lock:
                    errors += 1

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return len(latencies), latencies, errors


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    env = {**os.environ, "TRADELOOP_DATA_DIR": os.environ.get("TRADELOOP_DATA_DIR") or tempfile.mkdtemp()}
    tradeloop = str(Path(sys.executable).with_name("tradeloop"))
    subprocess.run([tradeloop, "demo", "--load-only"], env=env, check=True, stdout=subprocess.DEVNULL)
    port = free_port()
    server = subprocess.Popen(
        [tradeloop, "serve", "--port", str(port), "--workers", str(args.workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/")
        print(f"{'url':32} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7}")
        for path in URLS:
            hammer(base + path, 1, 2)  # warm the caches and the workers
            count, latencies, errors = hammer(base + path, args.seconds, args.clients)
            latencies.sort()
            p50 = statistics.median(latencies) * 1000 if latencies else 0
            p95 = latencies[int(len(latencies) * 0.95) - 1] * 1000 if latencies else 0
            print(f"{path:32} {count / args.seconds:8.0f} {p50:8.1f} {p95:8.1f} {errors:7}")
    finally:
        server.terminate()
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
