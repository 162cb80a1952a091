from celery import shared_task


@shared_task
def ping() -> str:
    """A no-op to check that a worker consumes tasks (`tradeloop worker` health checks, tests)."""
    return "pong"
