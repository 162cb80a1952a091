"""`tradeloop reindex`: rebuild the search index and its vocabulary from the goods and the registered sources."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from tradeloop.search import indexing


class Command(BaseCommand):
    help = "Rebuild the search index (products, listings, deals, services, places) and its spelling vocabulary."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-progress", action="store_true", help="no progress bar (logs, CI)")

    def handle(self, *args, quiet_progress: bool = False, **options):
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        console = Console(highlight=False)
        steps = indexing.plan()
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=console,
            disable=quiet_progress,
        ) as progress:
            tasks = {name: progress.add_task(f"{name}s", total=count) for name, count, _ in steps}
            written = indexing.reindex_all(lambda name, done: progress.advance(tasks[name], done))
        for name, count in written.items():
            console.print(f"{name}s indexed: {count}")
