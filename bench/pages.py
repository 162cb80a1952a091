"""One size of the page benchmark, against the database the environment names (TRADELOOP_DATA_DIR or DATABASE_URL):

    TRADELOOP_DATA_DIR=/tmp/b .venv/bin/python -m bench.pages --products 10000 --label 10k --out r.json

Migrates, generates the data (bench.generate), counts each page's queries in process (django.test.Client with
CaptureQueriesContext, the second request of each, so per-process warm-ups are not counted), times placing an order
in process, then serves the site the way `tradeloop serve` does (gunicorn, N workers, DEBUG off) and the bare-Django
floor (bench/floor.py) the same way, runs the load generator against every page and reads the workers' RSS.
`python -m bench` runs this for each size in a fresh database and draws the results.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tradeloop.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils.crypto import get_random_string  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn  # noqa: E402

from bench import loadgen  # noqa: E402
from bench.generate import SEARCH_WORD, generate  # noqa: E402
from tradeloop.accounts.models import User  # noqa: E402
from tradeloop.catalog.models import Product, Variant  # noqa: E402
from tradeloop.checkout.models import Address, Cart, CartItem, Checkout  # noqa: E402
from tradeloop.inventory.models import Stock  # noqa: E402
from tradeloop.o2o.models import Deal, Place  # noqa: E402
from tradeloop.storefront import seo  # noqa: E402

SESSIONS = 32  # guest sessions the add-to-cart requests are spread over
PLACE_ORDERS = 30  # orders placed in process (each from its own buyer's pre-made cart)
HTTP_CARTS = 800  # signed-in sessions with a one-line cart for the place-order requests over HTTP
BIG_STOCK = 50_000_000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server for {url} exited ({process.returncode})")
        try:
            urllib.request.urlopen(url, timeout=5).read()
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"{url} did not answer in {seconds:.0f} s")


def workers_of(master: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master:
            found.append(int(stat.parent.name))
    return sorted(found)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def bench_targets(data: dict) -> tuple[list[loadgen.Target], dict]:
    """The pages to measure, with guest sessions (a session row and a CSRF cookie each) for add-to-cart."""
    product = Product.objects.filter(kind=Product.Kind.PHYSICAL).order_by("pk")[data["products"] // 2]
    variant = Variant.objects.filter(product__kind=Product.Kind.PHYSICAL).order_by("pk").first()
    Variant.objects.filter(pk=variant.pk).update(stock=BIG_STOCK)  # the add-to-cart item never runs out
    Stock.objects.filter(variant=variant).update(on_hand=BIG_STOCK)
    csrf = get_random_string(32)  # a CSRF secret: the cookie, and (unmasked) the form's token
    cookies = []
    for _ in range(SESSIONS):
        session = SessionStore()
        session["bench"] = True
        session.create()
        cookies.append(f"{settings.SESSION_COOKIE_NAME}={session.session_key}; {settings.CSRF_COOKIE_NAME}={csrf}")
    seller = product.seller.slug
    listing = Product.objects.filter(kind=Product.Kind.LISTING).order_by("pk")[data["listings"] // 2]
    place = Place.objects.order_by("pk")[data["places"] // 2]
    deal = Deal.objects.select_related("product").order_by("pk")[data["deals"] // 2]
    buyers = [signed_in_cookie(buyer, csrf) for buyer in User.objects.filter(email__endswith="@bench.example")]
    detail = f"/p/{product.pk}/{product.slug}/"
    targets = [
        loadgen.Target("home", "/"),
        loadgen.Target("product list", "/products/"),
        loadgen.Target("category", "/c/tea/"),
        loadgen.Target("product detail", detail),
        loadgen.Target("store", f"/store/{seller}/"),
        loadgen.Target("listing (c2c)", f"/p/{listing.pk}/{listing.slug}/"),
        loadgen.Target("place (o2o)", seo.place_path(place.pk, place.name, place.name_zh)),
        loadgen.Target("deal (o2o)", seo.deal_path(deal.pk, deal.product.slug)),
        loadgen.Target("search", f"/products/?q={SEARCH_WORD.lower()}"),
        loadgen.Target("API products", "/api/v1/products"),
        loadgen.Target("home, signed in", "/", cookies=buyers),
        loadgen.Target("product detail, signed in", detail, cookies=buyers),
        loadgen.Target(
            "add to cart", "/cart/add/", "POST", f"csrfmiddlewaretoken={csrf}&variant={variant.pk}&quantity=1", cookies
        ),
    ]
    return targets, {"csrf": csrf, "variant": variant.pk}


def count_queries(targets: list[loadgen.Target]) -> dict[str, dict]:
    counts = {}
    for target in targets:
        client = Client(enforce_csrf_checks=True)
        if target.cookies:
            for part in target.cookies[0].split("; "):
                name, _, value = part.partition("=")
                client.cookies[name] = value
        seen = []
        for _ in range(2):  # the second request is the figure: the first also fills per-process caches
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as captured:
                if target.method == "POST":
                    response = client.post(target.path, target.body, content_type="application/x-www-form-urlencoded")
                else:
                    response = client.get(target.path)
            took = (time.perf_counter() - started) * 1000
            seen.append(len(captured))
        counts[target.name] = {
            "status": response.status_code,
            "queries": seen[1],
            "queries_first": seen[0],
            "in_process_ms": took,
            "sql_ms": sum(float(q["time"]) for q in captured.captured_queries) * 1000,
        }
    return counts


def _buyers_with_carts(prefix: str, count: int, variant_id: int) -> tuple[list[User], dict[int, int]]:
    User.objects.bulk_create(
        [User(email=f"{prefix}{i}@bench.example", name="Placer", password="!") for i in range(count)]
    )
    buyers = list(User.objects.filter(email__startswith=prefix).order_by("pk"))
    Address.objects.bulk_create(
        [Address(user=b, name="Bench Buyer", phone="13800000000", line1="1 Bench Road", city="Shanghai")
         for b in buyers]
    )  # fmt: skip
    addresses = {a.user_id: a.pk for a in Address.objects.filter(user__in=buyers)}
    Cart.objects.bulk_create([Cart(user=b) for b in buyers])
    carts = list(Cart.objects.filter(user__in=buyers))
    CartItem.objects.bulk_create([CartItem(cart=c, variant_id=variant_id, quantity=1) for c in carts])
    return buyers, addresses


def signed_in_cookie(buyer: User, csrf: str) -> str:
    """The Cookie header of a new session signed in as `buyer`."""
    session = SessionStore()
    session[SESSION_KEY] = str(buyer.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = buyer.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}; {settings.CSRF_COOKIE_NAME}={csrf}"


def place_order_target(variant_id: int, csrf: str) -> loadgen.Target:
    """POST /checkout/ action=place over HTTP: each request a signed-in buyer of its own with a one-line cart."""
    buyers, addresses = _buyers_with_carts("httpbuyer", HTTP_CARTS, variant_id)
    cookies, bodies = [], []
    for buyer in buyers:
        cookies.append(signed_in_cookie(buyer, csrf))
        bodies.append(f"csrfmiddlewaretoken={csrf}&action=place&address={addresses[buyer.pk]}")
    return loadgen.Target("place order", "/checkout/", "POST", cookies=cookies, bodies=bodies, warm_up=False)


def warm_up_pages(base: str, targets: list[loadgen.Target], count: int) -> None:
    """Every GET page `count` times at once before anything is measured, so every worker thread has rendered each
    template once (the first page measured would otherwise carry the workers' start-up)."""

    def get(path: str) -> None:
        with contextlib.suppress(OSError):
            urllib.request.urlopen(base + path, timeout=120).read()

    with ThreadPoolExecutor(count) as pool:
        for target in targets:
            if target.method == "GET":
                list(pool.map(get, [target.path] * count))


def warm_up_placing(base: str, target: loadgen.Target, count: int) -> list[float]:
    """Place `count` orders from the last sessions (never reached by the measured run), several at once so every
    worker thread places one: a fresh worker's first order is much slower (it connects to the task broker)."""

    def post(i: int) -> float:
        request = urllib.request.Request(
            base + target.path,
            data=target.bodies[-1 - i].encode(),
            headers={"Cookie": target.cookies[-1 - i], "Content-Type": "application/x-www-form-urlencoded"},
        )
        started = time.perf_counter()
        with contextlib.suppress(OSError):
            urllib.request.urlopen(request, timeout=120).read()
        return time.perf_counter() - started

    with ThreadPoolExecutor(count) as pool:
        took = list(pool.map(post, range(count)))
    del target.cookies[-count:], target.bodies[-count:]
    return took


def place_orders(variant_id: int) -> dict:
    """Each order placed from its own buyer's cart (one line), POST /checkout/ action=place through the test client:
    the whole request in process, one at a time (serial), timed with its queries."""
    buyers, addresses = _buyers_with_carts("placer", PLACE_ORDERS + 1, variant_id)
    timings, queries, statuses = [], [], []
    for n, buyer in enumerate(buyers):
        client = Client()
        client.force_login(buyer)
        data = {"action": "place", "address": addresses[buyer.pk], "idempotency_key": uuid.uuid4().hex}
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            response = client.post("/checkout/", data)
        if n:  # the first one warms the process up
            timings.append((time.perf_counter() - started) * 1000)
            queries.append(len(captured))
            statuses.append(response.status_code)
    timings.sort()
    return {
        "orders": len(timings),
        "statuses": sorted(set(statuses)),
        "p50_ms": statistics.median(timings),
        "p95_ms": timings[int(0.95 * (len(timings) - 1))],
        "p99_ms": timings[-1],
        "queries": statistics.median(queries),
        "serial_rps": 1000 / statistics.mean(timings),
    }


def serve(argv: list[str], env: dict) -> subprocess.Popen:
    return subprocess.Popen(argv, env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


SLICES = 3


def median_of_slices(base: str, target: loadgen.Target, args) -> dict:
    """The load in SLICES runs of a share of the time each, each with new connections; the median run's figures.
    gunicorn's workers split a load generator's keep-alive connections at random when they open, and now and then
    one worker takes nearly all of them (the other idles: half the requests/s, for that run only)."""
    runs = [
        loadgen.measure(base, target, args.seconds / SLICES, args.connections, args.threads, args.tool)
        for _ in range(SLICES)
    ]
    runs.sort(key=lambda run: run["rps"])
    return runs[SLICES // 2] | {"slices_rps": [round(run["rps"], 1) for run in runs]}


def load(base: str, targets, args, console: Console, label: str) -> dict:
    figures = {}
    for target in targets:
        if target.warm_up:
            loadgen.measure(base, target, 1, 2, 1, args.tool)  # warm the workers and the database's page cache
            result = median_of_slices(base, target, args)
        else:  # every request uses up a session: one run
            result = loadgen.measure(base, target, args.seconds, args.connections, args.threads, args.tool)
        figures[target.name] = result
        console.print(
            f"  {label:8} {target.name:16} {result['rps']:8.1f} req/s  p50 {result['p50_ms']:7.1f} ms  "
            f"p95 {result['p95_ms']:7.1f} ms  p99 {result['p99_ms']:7.1f} ms  errors {result['errors']}"
        )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--label", default="")
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2, help="load generator threads (wrk -t)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers, for the site and the floor")
    parser.add_argument("--tool", default="", help="wrk or python (default: wrk if installed)")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    args.tool = args.tool or loadgen.tool()
    console = Console(width=max(120, Console().width))
    vendor = connection.vendor
    label = args.label or f"{args.products}"
    console.print(f"[bold]{label} products[/bold] on {vendor} {settings.DATABASES['default']['NAME']}")
    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    migrated = time.perf_counter() - started

    columns = (TextColumn("{task.description:10}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console) as progress:
        tasks: dict[str, int] = {}

        def advance(step: str, done: int, total: int) -> None:
            if step not in tasks:
                tasks[step] = progress.add_task(step, total=total)
            progress.update(tasks[step], completed=done)

        started = time.perf_counter()
        data = generate(args.products, advance)
        generated = time.perf_counter() - started
    console.print(f"  migrated in {migrated:.1f} s, generated in {generated:.1f} s: {data}")

    targets, extra = bench_targets(data)
    queries = count_queries(targets)
    for name, q in queries.items():
        console.print(
            f"  {name:16} HTTP {q['status']}  {q['queries']:3} queries ({q['queries_first']} the first time)  "
            f"{q['in_process_ms']:.1f} ms in process, {q['sql_ms']:.1f} ms of it in SQL"
        )
    placed = place_orders(extra["variant"])
    console.print(f"  place order (in process, serial): {placed}")
    placing = place_order_target(extra["variant"], extra["csrf"])
    checkouts_before = Checkout.objects.count()
    connection.close()

    env = {**os.environ, "DEBUG": "0", "PYTHONPATH": f"{REPO}:{REPO / 'src'}"}
    floor_env = {k: v for k, v in env.items() if k != "DJANGO_SETTINGS_MODULE"}
    bin_dir = Path(sys.executable).parent
    port, floor_port = free_port(), free_port()
    load_before = os.getloadavg()
    floor = serve(
        [str(bin_dir / "gunicorn"), "-b", f"127.0.0.1:{floor_port}", "-w", str(args.workers), "--threads", "4",
         "-k", "gthread", "--log-level", "warning", "bench.floor:application"],
        floor_env,
    )  # fmt: skip
    try:
        wait_for(f"http://127.0.0.1:{floor_port}/", floor)
        floor_figures = load(f"http://127.0.0.1:{floor_port}", [loadgen.Target("floor", "/")], args, console, "floor")
    finally:
        stop(floor)
    site = serve(
        [
            str(bin_dir / "tradeloop"),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(args.workers),
        ],
        env,
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/", site)
        warm_up_pages(f"http://127.0.0.1:{port}", targets, args.workers * 4)
        rss_start = {pid: rss_mb(pid) for pid in workers_of(site.pid)}
        pages = load(f"http://127.0.0.1:{port}", targets, args, console, label)
        warm = warm_up_placing(f"http://127.0.0.1:{port}", placing, args.workers * 4)
        console.print(f"  place order warm-up (the first in each worker thread): {max(warm):.1f} s at most")
        pages |= load(f"http://127.0.0.1:{port}", [placing], args, console, label)
        rss_end = {pid: rss_mb(pid) for pid in workers_of(site.pid)}
    finally:
        stop(site)
    load_after = os.getloadavg()

    placed_over_http = Checkout.objects.count() - checkouts_before
    queries["place order"] = {"status": 302, "queries": placed["queries"], "queries_first": placed["queries"]}
    pages["place order"]["orders_placed"] = placed_over_http
    pages["place order"]["carts_ran_out"] = pages["place order"]["requests"] > len(placing.cookies)
    pages["place order"]["first_order_seconds_per_worker_thread"] = [round(t, 2) for t in warm]
    connection.close()
    floor_rps = floor_figures["floor"]["rps"]
    for name, figures in pages.items():
        figures["queries"] = queries[name]["queries"]
        figures["queries_first"] = queries[name]["queries_first"]
        figures["in_process_ms"] = queries[name].get("in_process_ms")
        figures["sql_ms"] = queries[name].get("sql_ms")
        figures["status"] = queries[name]["status"]
        figures["ratio_to_floor"] = figures["rps"] / floor_rps if floor_rps else None
    result = {
        "database": vendor,
        "size": label,
        "products": args.products,
        "data": data,
        "migrate_seconds": round(migrated, 1),
        "generate_seconds": round(generated, 1),
        "tool": args.tool,
        "seconds": args.seconds,
        "connections": args.connections,
        "workers": args.workers,
        "threads_per_worker": 4,
        "floor": floor_figures["floor"],
        "pages": pages,
        "place_order_in_process": placed,
        "worker_rss_mb_start": list(rss_start.values()),
        "worker_rss_mb_end": list(rss_end.values()),
        "load_average_before": load_before,
        "load_average_after": load_after,
        "cpus": os.cpu_count(),
        "at": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
