"""What tests/core/test_scaled_out.py starts in its subprocesses (importable with the project root on PYTHONPATH).

`app`: the project's Celery app with one timed rule, the real "cancel-unpaid-orders" entry, firing every second
instead of every minute (the test cannot wait a minute) on a queue of the test's own.
`application`: the project's WSGI application, answering with the serving process id in `X-Served-By` so the
test can tell gunicorn's workers apart."""

import os

from tradeloop.celery import app
from tradeloop.wsgi import application as _django

RULE = "cancel-unpaid-orders"
app.conf.task_default_queue = os.environ.get("TRADELOOP_TEST_QUEUE", "celery")
app.conf.beat_schedule = {RULE: {**app.conf.beat_schedule[RULE], "schedule": 1.0}}


def application(environ, start_response):
    def with_pid(status, headers, exc_info=None):
        return start_response(status, [*headers, ("X-Served-By", str(os.getpid()))], exc_info)

    return _django(environ, with_pid)
