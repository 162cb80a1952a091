"""The embedded job queue: each task a file in the data folder's `jobs/`, written by the web processes and taken by
the worker (kombu's file-system transport, made safe for several takers).

Without Redis this replaces a SQLite broker reached through SQLAlchemy, which every web process that queued a task
had to load (~20 MB each, to insert one row). kombu's own file-system channel writes a message where a taker can
read it half-written, and takes one by moving it to the system's temporary folder: a copy, which two workers can
both make, when that folder is on another file system. This channel writes each message under a hidden name and
renames it into place, and takes it by renaming it within the queue's folder: one rename succeeds, so exactly one
taker gets it. Names begin with a fixed-width clock reading (the machine's monotonic clock, one for all processes),
so messages are taken in the order they were written.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from queue import Empty
from time import monotonic_ns
from typing import Any

from kombu.transport import filesystem, virtual
from kombu.utils.encoding import bytes_to_str, str_to_bytes
from kombu.utils.json import dumps, loads
from kombu.utils.objects import cached_property


def options(folder: Path) -> dict[str, str]:
    """The transport options for a queue folder (created with its sub-folders if missing): messages at the top,
    exchange tables in control/, messages being read in taken/, task results in results/."""
    for sub in ("control", "taken", "results"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    return {
        "data_folder_in": str(folder),
        "data_folder_out": str(folder),
        "control_folder": str(folder / "control"),
        "processed_folder": str(folder / "taken"),
    }


def results_url(folder: Path) -> str:
    """Celery's file result backend in the queue folder's results/."""
    return f"file://{folder / 'results'}"


class Channel(filesystem.Channel):
    @cached_property
    def _taken_prefix(self) -> str:
        return f"{os.getpid()}-{uuid.uuid4().hex[:8]}-"

    def _put(self, queue: str, payload: Any, **kwargs: Any) -> None:
        name = f"{monotonic_ns():020d}_{uuid.uuid4()}.{queue}.msg"  # names sort in the order they were written
        partial = os.path.join(self.data_folder_out, f".{name}.part")  # never matches a queue's ".<queue>.msg"
        with open(partial, "wb") as message:
            message.write(str_to_bytes(dumps(payload)))
        os.replace(partial, os.path.join(self.data_folder_out, name))

    def _get(self, queue: str) -> Any:
        wanted = f"{queue}.msg"
        for name in sorted(os.listdir(self.data_folder_in)):
            if name.partition(".")[2] != wanted:
                continue
            taken = os.path.join(self.processed_folder, self._taken_prefix + name)
            try:
                os.rename(os.path.join(self.data_folder_in, name), taken)
            except FileNotFoundError:
                continue  # another taker renamed it first
            try:
                with open(taken, "rb") as message:
                    return loads(bytes_to_str(message.read()))
            finally:
                os.remove(taken)
        raise Empty()


class Transport(filesystem.Transport):
    Channel = Channel
    _states: dict[str, virtual.BrokerState] = {}

    def __init__(self, client: Any, **kwargs: Any) -> None:
        super().__init__(client, **kwargs)
        # kombu keeps one in-process record of declared bindings for all its file-system connections and skips
        # writing a binding it has seen; bindings live in a queue folder's control/, so keep one record per folder
        folder = client.transport_options.get("control_folder", "")
        self.state = self._states.setdefault(folder, virtual.BrokerState())

    @property
    def default_connection_params(self) -> dict[str, int]:
        return {"port": 0}  # no host name to default to (kombu would warn that it uses "localhost")
