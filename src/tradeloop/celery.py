"""The one Celery app: workers run tasks, one beat runs the timed rules (sweeps)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tradeloop.settings")

app = Celery("tradeloop")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.conf.beat_schedule = {
    "expire-invitations": {"task": "tradeloop.accounts.tasks.expire_invitations", "schedule": 300.0},
}
