import pytest

from tradeloop.celery import app

MINE = ("cancel-unpaid-orders", "expire-checkouts", "release-expired-reservations", "complete-orders")


@pytest.mark.parametrize("entry", MINE)
def test_the_timed_rules_are_scheduled_and_run(entry, db):
    app.loader.import_default_modules()
    task = app.tasks[app.conf.beat_schedule[entry]["task"]]
    assert task.apply().get() == 0  # nothing due: nothing done, no error
