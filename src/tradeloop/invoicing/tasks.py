from celery import shared_task

from tradeloop.core import clock
from tradeloop.invoicing.services import sweep_invoice_reminders


@shared_task
def remind_invoices() -> int:
    """Open invoices 3 days before due, on the due day, then weekly while overdue: one reminder each, once."""
    return sweep_invoice_reminders(clock.now())
