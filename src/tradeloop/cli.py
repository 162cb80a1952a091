"""The `tradeloop` command: run the demo, the web server, the worker, import a catalog, or any manage.py command.

    tradeloop demo [--host 127.0.0.1] [--port 8000] [--no-worker] [--load-only]
    tradeloop serve [--host 127.0.0.1] [--port 8000] [--workers N] [--threads N] [--access-log] [--no-preload]
    tradeloop worker [--concurrency N] [--no-beat] [--loglevel info]
    tradeloop import-catalog FILE --seller SLUG [--publish] [--as EMAIL] [--errors-csv PATH]
    tradeloop migrate | createsuperuser | shell | check --deploy | …   (Django management, passed through)

See docs/cli.md.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

OWN_COMMANDS = ("demo", "serve", "worker", "import-catalog")
EXIT_OK, EXIT_ROW_ERRORS, EXIT_USAGE = 0, 1, 2
STOP_GRACE_SECONDS = 10
READY_TIMEOUT_SECONDS = 60
SHOWN_ERRORS = 100


def _console():
    from rich.console import Console

    return Console(highlight=False)


def _err_console():
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def _setup_django() -> None:
    import django

    django.setup()


# --- tradeloop serve -------------------------------------------------------------------------------------


def _bind(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _warm_up_babel() -> None:
    """Babel's global data and the site's locales (a 0.9 s pickle load in the first price a process formats)."""
    from decimal import Decimal

    from django.conf import settings

    from tradeloop.core.money import format_money

    for code, _name in settings.LANGUAGES:
        format_money(Decimal("1.00"), settings.TRADELOOP_DEFAULT_CURRENCY, code)


def _warm_up_for_fork() -> None:
    """In gunicorn's master, before the workers fork: load what every worker needs once (the URLconf and every view
    module, Babel's data) and build jieba's trie if missing, so a fresh worker neither spends its first requests
    loading them (a first order that indexes a Chinese title used to take 13-28 s on a loaded machine) nor holds a
    private copy: the workers share these pages copy-on-write. Leaves no database connection or thread behind (none
    may cross a fork)."""
    import gc

    from django.db import connections
    from django.urls import get_resolver, reverse

    from tradeloop.search.normalise import prepare

    get_resolver().url_patterns  # noqa: B018 - imports every urls and views module
    reverse("storefront:home")  # builds every namespace's reverse table and compiles its patterns
    prepare()  # jieba's trie on disk; jieba itself loads where Chinese is segmented
    _warm_up_babel()
    from tradeloop.celery import app

    app.amqp  # noqa: B018 - Celery's router and queues
    with app.connection_for_write() as broker:
        broker.transport  # noqa: B018 - imports the broker's transport; connects nothing (no socket may cross a fork)
    connections.close_all()
    gc.collect()
    gc.freeze()  # the collector never touches (and so never copies) what the master loaded


def cmd_serve(args: argparse.Namespace) -> int:
    """The production WSGI server (gunicorn), in this process. The master loads Django and the app once and the
    workers fork from it (preload; --no-preload: each worker loads Django itself)."""
    from gunicorn.app.base import BaseApplication

    options = {
        "preload_app": not args.no_preload,
        "bind": _bind(args.host, args.port),
        "workers": args.workers,
        "worker_class": "tradeloop.api.server.JsonErrorsWorker",  # gthread, with JSON for requests it refuses
        "threads": args.threads,
        "timeout": 60,
        "graceful_timeout": STOP_GRACE_SECONDS // 2,
        "accesslog": "-" if args.access_log else None,
        "errorlog": "-",
        "loglevel": "info" if args.access_log else "warning",
        "proc_name": "tradeloop-web",
    }

    class WebServer(BaseApplication):
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self):
            from tradeloop.wsgi import application

            if self.cfg.preload_app:
                _warm_up_for_fork()
            return application

    WebServer(prog="tradeloop serve").run()
    return EXIT_OK


# --- tradeloop worker ------------------------------------------------------------------------------------


def cmd_worker(args: argparse.Namespace) -> int:
    """A Celery worker; with the beat (timed rules) embedded unless --no-beat. Run exactly one beat per site."""
    from tradeloop.celery import app

    argv = ["worker", "--loglevel", args.loglevel, "--concurrency", str(args.concurrency), "--pool", args.pool]
    if args.quiet:
        argv.insert(0, "--quiet")  # no banner
        warnings.filterwarnings("ignore", message=".*superuser privileges")
    if args.name:
        argv += ["--hostname", args.name]
    if not args.no_beat:
        argv.append("--beat")
    return app.start(argv) or EXIT_OK


# --- tradeloop demo --------------------------------------------------------------------------------------


@dataclass
class Child:
    name: str
    process: subprocess.Popen

    @property
    def running(self) -> bool:
        return self.process.poll() is None


def _die_with_parent() -> None:
    """In the child, before exec: ask Linux to SIGTERM us if the demo process dies without cleaning up."""
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class Supervisor:
    """Starts the demo's child processes, each in its own process group, and stops every one of them."""

    def __init__(self) -> None:
        self.children: list[Child] = []

    def start(self, name: str, argv: list[str], env: dict[str, str]) -> Child:
        preexec = _die_with_parent if sys.platform.startswith("linux") else None
        process = subprocess.Popen(argv, env=env, start_new_session=True, preexec_fn=preexec)
        child = Child(name, process)
        self.children.append(child)
        return child

    def first_exited(self) -> Child | None:
        return next((child for child in self.children if not child.running), None)

    def stop(self) -> None:
        """SIGTERM each child (graceful: gunicorn finishes requests, Celery its tasks, each stops its own
        processes), then SIGKILL whatever is left in their process groups."""
        for child in self.children:
            if child.running:
                child.process.terminate()
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for child in self.children:
            with contextlib.suppress(subprocess.TimeoutExpired):
                child.process.wait(timeout=max(0.1, deadline - time.monotonic()))
        for child in self.children:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(child.process.pid, signal.SIGKILL)  # stragglers, grandchildren included
            child.process.wait()


def _port_is_free(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def _wait_until_listening(host: str, port: int, web: Child, stop: threading.Event) -> bool:
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    while time.monotonic() < deadline and web.running and not stop.is_set():
        with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=0.5):
            return True
        stop.wait(0.2)
    return False


def _demo_panel(host: str, port: int, *, worker: bool):
    from django.conf import settings
    from rich.console import Group
    from rich.panel import Panel
    from rich.table import Table

    from tradeloop.demo import content, loader

    base = f"http://{_bind(host, port)}"
    links = Table.grid(padding=(0, 2))
    links.add_row("Storefront", f"[link={base}/]{base}/[/link]")
    links.add_row("Seller console", f"{base}/console/")
    links.add_row("Admin (operator)", f"{base}/admin/")
    links.add_row("API docs", f"{base}/api/v1/docs")
    links.add_row("Data folder", str(settings.DATA_DIR))
    links.add_row("Jobs", "Celery worker + beat running" if worker else "[yellow]no worker (--no-worker)[/yellow]")
    people = Table(title=f"Demo logins — password for all: [bold]{content.PASSWORD}[/bold]", title_justify="left")
    people.add_column("who")
    people.add_column("e-mail", style="cyan")
    people.add_column("organization")
    for login in loader.logins():
        people.add_row(login.who, login.email, login.organization)
    body = Group(links, "", people, "", "[dim]Press Ctrl-C to stop.[/dim]")
    return Panel(body, title="[bold green]Tradeloop demo is running[/bold green]", expand=False)


def _prepare_demo(console) -> None:
    from django.core.management import call_command

    from tradeloop.demo import loader

    with console.status("Migrating the database…"):
        call_command("migrate", interactive=False, verbosity=0)
    with console.status("Loading the demo data…") as status:
        report = loader.load(say=lambda step: status.update(f"Loading the demo data: {step}"))
    if report.created_anything:
        console.print(
            f"Demo data loaded: {report.created_organizations} organizations, {report.created_users} people, "
            f"{report.created_products} products."
        )
    else:
        console.print(f"Demo data already loaded ({loader.product_count()} products), reusing it.")


def _child_env(host: str, port: int) -> dict[str, str]:
    from django.conf import settings

    env = dict(os.environ)
    env["TRADELOOP_DATA_DIR"] = str(settings.DATA_DIR)
    env.setdefault("DJANGO_SETTINGS_MODULE", "tradeloop.settings")
    env.setdefault("TRADELOOP_BASE_URL", f"http://{_bind(host, port)}")  # where the worker reaches the site
    return env


def cmd_demo(args: argparse.Namespace) -> int:
    _setup_django()
    from django.db import connections

    console = _console()
    _prepare_demo(console)
    if args.load_only:
        return EXIT_OK
    connections.close_all()
    if not _port_is_free(args.host, args.port):
        _err_console().print(f"[red]Port {args.port} on {args.host} is in use.[/red] Try: tradeloop demo --port 8001")
        return EXIT_USAGE

    stop = threading.Event()
    caught: list[int] = []

    def request_stop(signum, _frame):
        caught.append(signum)
        stop.set()

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    supervisor, env = Supervisor(), _child_env(args.host, args.port)
    me = [sys.executable, "-m", "tradeloop.cli"]
    try:
        web = supervisor.start(
            "web", [*me, "serve", "--host", args.host, "--port", str(args.port), "--workers", "2"], env
        )
        if not args.no_worker:
            worker = [*me, "worker", "--concurrency", "4", "--pool", "threads", "--loglevel", "warning", "--quiet"]
            supervisor.start("worker", worker, env)
        if _wait_until_listening(args.host, args.port, web, stop):
            console.print(_demo_panel(args.host, args.port, worker=not args.no_worker))
        while not stop.is_set():
            if (gone := supervisor.first_exited()) is not None:
                _err_console().print(f"[red]The {gone.name} process stopped (exit {gone.process.returncode}).[/red]")
                break
            stop.wait(0.5)
    finally:
        with console.status("Stopping…"):
            supervisor.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    console.print("Tradeloop demo stopped.")
    return EXIT_OK if caught else EXIT_ROW_ERRORS


# --- tradeloop import-catalog ----------------------------------------------------------------------------


class UsageError(Exception):
    pass


def _seller_and_actor(slug: str, email: str | None):
    from tradeloop.accounts.models import Organization, User
    from tradeloop.catalog.imports import default_actor
    from tradeloop.core.errors import NotFound

    seller = Organization.objects.filter(slug=slug).first()
    if seller is None:
        raise UsageError(f"no organization with the slug {slug!r}")
    if email:
        actor = User.objects.filter(email=email.strip().lower(), is_active=True).first()
        if actor is None:
            raise UsageError(f"no active user {email!r}")
        return seller, actor
    try:
        return seller, default_actor(seller)
    except NotFound as exc:
        raise UsageError(exc.message) from exc


def _run_import(console, path: Path, seller, actor, publish: bool):
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from tradeloop.catalog.imports import import_catalog

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(f"Importing {path.name}", total=None)
        return import_catalog(
            actor=actor,
            seller=seller,
            source=path,
            publish=publish,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )


def _print_import_result(console, result, errors_csv: Path | None) -> None:
    from rich.table import Table

    console.print(
        f"{result.imported_rows} of {result.rows} rows imported: "
        f"{result.products_created} products created, {result.products_updated} updated; "
        f"{result.variants_created} variants created, {result.variants_updated} updated"
        + (f"; {result.published} published" if result.published else "")
        + (f"; {result.images_added} images added" if result.images_added else "")
        + "."
    )
    if result.ignored_columns:
        console.print(f"[yellow]Ignored unknown columns:[/yellow] {', '.join(result.ignored_columns)}")
    if not result.errors:
        return
    count = len(result.errors)
    title = f"{count} problem{'s' if count != 1 else ''} (these rows were not imported)"
    table = Table(title=title, title_justify="left")
    table.add_column("row", justify="right")
    table.add_column("field", style="cyan")
    table.add_column("reason")
    for error in result.errors[:SHOWN_ERRORS]:
        table.add_row(str(error.row), error.field, error.reason)
    console.print(table)
    if len(result.errors) > SHOWN_ERRORS:
        console.print(f"… and {len(result.errors) - SHOWN_ERRORS} more (use --errors-csv to get them all).")
    if errors_csv:
        with errors_csv.open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(["row", "field", "reason"])
            writer.writerows((e.row, e.field, e.reason) for e in result.errors)
        console.print(f"All problems written to {errors_csv}.")


def cmd_import_catalog(args: argparse.Namespace) -> int:
    _setup_django()
    from tradeloop.core.errors import DomainError

    console, err = _console(), _err_console()
    path = Path(args.file)
    try:
        if not path.is_file():
            raise UsageError(f"no such file: {path}")
        seller, actor = _seller_and_actor(args.seller, args.as_user)
        result = _run_import(console, path, seller, actor, args.publish)
    except UsageError as exc:
        err.print(f"[red]Error:[/red] {exc}")
        return EXIT_USAGE
    except DomainError as exc:  # the file as a whole (columns, encoding) or the actor's rights
        err.print(f"[red]Error:[/red] {exc.message}")
        return EXIT_USAGE
    _print_import_result(console, result, Path(args.errors_csv) if args.errors_csv else None)
    return EXIT_OK if result.ok else EXIT_ROW_ERRORS


# --- entry point -----------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tradeloop",
        description="Tradeloop: one commerce platform for B2C, B2B, C2C and O2O.",
        epilog="Any other command is a Django management command: tradeloop payouts [--seller SLUG] [--dry-run], "
        "tradeloop migrate, tradeloop createsuperuser, tradeloop shell, tradeloop check --deploy, tradeloop help …",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = commands.add_parser("demo", help="migrate, load the demo data and run web + worker + beat")
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--port", type=int, default=8000)
    demo.add_argument("--no-worker", action="store_true", help="do not start the Celery worker and beat")
    demo.add_argument("--load-only", action="store_true", help="migrate and load the demo data, then exit")
    demo.set_defaults(handler=cmd_demo)

    serve = commands.add_parser("serve", help="the production web server (gunicorn)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")))
    serve.add_argument("--threads", type=int, default=4, help="threads per worker process")
    serve.add_argument("--access-log", action="store_true", help="log every request to stdout")
    serve.add_argument(
        "--no-preload", action="store_true", help="each worker loads the app itself (more memory, slower start)"
    )
    serve.set_defaults(handler=cmd_serve)

    worker = commands.add_parser("worker", help="a Celery worker running background jobs (with the beat)")
    worker.add_argument("--concurrency", type=int, default=os.cpu_count() or 2)
    worker.add_argument("--no-beat", action="store_true", help="do not run the beat (run exactly one per site)")
    worker.add_argument("--loglevel", default="info")
    worker.add_argument(
        "--pool",
        choices=("prefork", "threads", "solo"),
        default="prefork",
        help="prefork (processes, the default) or threads (lighter; what the demo uses)",
    )
    worker.add_argument("--quiet", action="store_true", help="no start-up banner")
    worker.add_argument("--name", help="node name, e.g. worker1@%%h (default celery@host)")
    worker.set_defaults(handler=cmd_worker)

    imports = commands.add_parser("import-catalog", help="import products and variants from a CSV file")
    imports.add_argument("file", help="the CSV file (see docs/catalog-import.md)")
    imports.add_argument("--seller", required=True, help="the selling organization's slug")
    imports.add_argument("--publish", action="store_true", help="publish the imported products")
    imports.add_argument("--as", dest="as_user", metavar="EMAIL", help="act as this user (default: the owner)")
    imports.add_argument("--errors-csv", metavar="PATH", help="write every problem row to this CSV file")
    imports.set_defaults(handler=cmd_import_catalog)
    return parser


def cmd_bench(argv: list[str]) -> int:
    """`tradeloop bench [--sizes 10k,100k] [--db postgresql] …`: `python -m bench` of the source checkout."""
    root = Path(__file__).resolve().parents[2]
    if not (root / "bench" / "__main__.py").exists():
        _err_console().print("tradeloop bench runs from a source checkout (bench/ next to src/).")
        return EXIT_USAGE
    return subprocess.call([sys.executable, "-m", "bench", *argv], cwd=root)


def main(argv: Sequence[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tradeloop.settings")
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "bench":
        return cmd_bench(argv[1:])
    if not argv or argv[0] in OWN_COMMANDS or argv[0] in ("-h", "--help"):
        parser = build_parser()
        args = parser.parse_args(argv)
        if not args.command:
            parser.print_help()
            return EXIT_OK
        try:
            return args.handler(args)
        except KeyboardInterrupt:  # Ctrl-C before the demo's children run (migrating, loading, importing)
            _err_console().print("Interrupted.")
            return 130
    from django.core.management import execute_from_command_line

    execute_from_command_line(["tradeloop", *argv])
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
