"""The embedded job queue: every message reaches exactly one of several taking processes, whole."""

from __future__ import annotations

import multiprocessing
from pathlib import Path
from queue import Empty

import pytest
from kombu import Connection

from tradeloop.core import file_broker

TRANSPORT = "tradeloop.core.file_broker:Transport"


def _connection(folder: Path) -> Connection:
    return Connection("filesystem://", transport=TRANSPORT, transport_options=file_broker.options(folder))


def _publish(folder: Path, bodies: list[int]) -> None:
    with _connection(folder) as connection:
        queue = connection.SimpleQueue("jobs")
        for body in bodies:
            queue.put(body)
        queue.close()


def _take_all(folder: str, start: multiprocessing.Event, out: multiprocessing.Queue) -> None:
    taken = []
    start.wait()
    with _connection(Path(folder)) as connection:
        queue = connection.SimpleQueue("jobs")
        while True:
            try:
                message = queue.get(block=False)
            except Empty:
                break
            taken.append(message.payload)
            message.ack()
        queue.close()
    out.put(taken)


def test_each_message_is_taken_by_exactly_one_of_four_processes(tmp_path):
    _publish(tmp_path, list(range(400)))
    context = multiprocessing.get_context("spawn")
    start, out = context.Event(), context.Queue()
    takers = [context.Process(target=_take_all, args=(str(tmp_path), start, out)) for _ in range(4)]
    for taker in takers:
        taker.start()
    start.set()
    taken = [out.get(timeout=120) for _ in takers]
    for taker in takers:
        taker.join(timeout=30)
    everything = [body for one in taken for body in one]
    assert sorted(everything) == list(range(400)), "a message was lost or taken twice"
    assert not list((tmp_path / "taken").iterdir()), "a taken message was left behind"


def test_a_message_being_written_is_not_taken(tmp_path):
    with _connection(tmp_path) as connection:
        queue = connection.SimpleQueue("jobs")
        (tmp_path / ".1_half.jobs.msg.part").write_bytes(b'{"body": "')  # what a writer leaves until it renames
        with pytest.raises(Empty):
            queue.get(block=False)
        queue.put("whole")
        assert queue.get(block=False).payload == "whole"
        queue.close()


def test_messages_come_out_in_the_order_they_went_in(tmp_path):
    _publish(tmp_path, ["first", "second", "third"])
    with _connection(tmp_path) as connection:
        queue = connection.SimpleQueue("jobs")
        assert [queue.get(block=False).payload for _ in range(3)] == ["first", "second", "third"]
        queue.close()
