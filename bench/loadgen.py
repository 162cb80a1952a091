"""The HTTP load generator: wrk (Debian's package) when installed, else oha or hey, else a small multi-process
Python client (http.client, keep-alive). Each returns the same figures: requests/s, p50/p95/p99 ms, errors.

Requests may carry cookies and a form body (a POST with CSRF); `sessions` spreads them over several sessions
(round robin across the generator's threads), so concurrent writers do not all queue on one cart row; with one
body per session (place-order: each session's own cart and address) no session is used twice until all were.
"""

from __future__ import annotations

import http.client
import json
import multiprocessing
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit


@dataclass
class Target:
    name: str
    path: str
    method: str = "GET"
    body: str = ""  # form-encoded
    cookies: list[str] = field(default_factory=list)  # "Cookie:" header values, one per session
    bodies: list[str] = field(default_factory=list)  # when given, one per session (else `body` for all)
    warm_up: bool = True  # False: every request uses up its session (a cart placed as an order)


def tool() -> str:
    for name in ("wrk", "oha", "hey"):
        if shutil.which(name):
            return name if name == "wrk" else "python"  # oha/hey lack per-request cookies: use ours for them too
    return "python"


def _lua(target: Target, threads: int) -> str:
    cookies = ", ".join(json.dumps(c) for c in target.cookies) or '""'
    bodies = ", ".join(json.dumps(b) for b in target.bodies)
    return f"""
local cookies = {{{cookies}}}
local bodies = {{{bodies}}}
local method, path, body = {json.dumps(target.method)}, {json.dumps(target.path)}, {json.dumps(target.body)}
local stride = {threads}
local n = 0
local threads = {{}}
function setup(thread)
  thread:set("offset", #threads)
  table.insert(threads, thread)
end
function request()
  local i = (n * stride + (offset or 0)) % #cookies + 1
  n = n + 1
  local headers = {{}}
  local this = body
  if #bodies > 0 then this = bodies[i] end
  if cookies[i] ~= "" then headers["Cookie"] = cookies[i] end
  if this ~= "" then headers["Content-Type"] = "application/x-www-form-urlencoded" end
  return wrk.format(method, path, headers, this ~= "" and this or nil)
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {{"requests": %d, "duration_us": %d, "p50": %d, "p95": %d, "p99": %d, "errors": %d, "status_errors": %d}}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, e.status))
end
"""


def run_wrk(base: str, target: Target, seconds: float, connections: int, threads: int) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_lua(target, threads))
    try:
        argv = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "10s"]
        out = subprocess.run([*argv, "-s", script.name, base + target.path], capture_output=True, text=True).stdout
    finally:
        Path(script.name).unlink()
    line = next((line for line in out.splitlines() if line.startswith("RESULT ")), None)
    if line is None:
        raise RuntimeError(f"wrk gave no result:\n{out}")
    raw = json.loads(line[len("RESULT ") :])
    return {
        "requests": raw["requests"],
        "rps": raw["requests"] / (raw["duration_us"] / 1e6),
        "p50_ms": raw["p50"] / 1000,
        "p95_ms": raw["p95"] / 1000,
        "p99_ms": raw["p99"] / 1000,
        "errors": raw["errors"] + raw["status_errors"],
    }


def _client(base: str, target: Target, seconds: float, offset: int, stride: int, queue) -> None:
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    latencies, errors, n = [], 0, offset
    stop = time.monotonic() + seconds
    while time.monotonic() < stop:
        headers, body = {}, target.body
        if target.cookies:
            headers["Cookie"] = target.cookies[n % len(target.cookies)]
        if target.bodies:
            body = target.bodies[n % len(target.bodies)]
        if body:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        n += stride
        started = time.perf_counter()
        try:
            connection.request(target.method, target.path, body=body or None, headers=headers)
            response = connection.getresponse()
            response.read()
            if response.status >= 400:
                errors += 1
            latencies.append(time.perf_counter() - started)
        except (OSError, http.client.HTTPException):
            errors += 1
            connection.close()
            connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    queue.put((latencies, errors))


def run_python(base: str, target: Target, seconds: float, connections: int) -> dict:
    queue = multiprocessing.Queue()
    workers = [
        multiprocessing.Process(target=_client, args=(base, target, seconds, i, connections, queue))
        for i in range(connections)
    ]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    results = [queue.get() for _ in workers]
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    latencies = sorted(x for r in results for x in r[0])

    def pct(share: float) -> float:
        return latencies[min(len(latencies) - 1, int(share * len(latencies)))] * 1000 if latencies else 0.0

    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50_ms": pct(0.50),
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
        "errors": sum(r[1] for r in results),
    }


def measure(base: str, target: Target, seconds: float, connections: int, threads: int = 2, use: str = "") -> dict:
    use = use or tool()
    if use == "wrk":
        return run_wrk(base, target, seconds, connections, threads)
    return run_python(base, target, seconds, connections)
