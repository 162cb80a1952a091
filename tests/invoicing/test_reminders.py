"""Reminders by moving the clock: 3 days before due, on the due day, then once a week overdue; once each."""

from datetime import timedelta

from django.utils import timezone

from tradeloop.invoicing import services
from tradeloop.invoicing.models import InvoiceReminder


def _at_noon_days_from_due(invoice, days: int):
    due_day = timezone.localtime(invoice.due_at).replace(hour=12, minute=0, second=0, microsecond=0)
    return due_day + timedelta(days=days)


def test_the_reminders_fall_on_their_days_and_go_out_once(invoiced, clock):
    schedule = {-5: None, -3: "due_soon", -1: "due_soon", 0: "due_today", 3: None, 7: "overdue:1", 14: "overdue:2"}
    for days, key in schedule.items():
        clock.travel(_at_noon_days_from_due(invoiced, days))
        sent = services.sweep_invoice_reminders(clock.now())
        assert sent == (1 if key and days != -1 else 0), days  # day -1: due_soon went out already
        assert services.sweep_invoice_reminders(clock.now()) == 0  # idempotent
    keys = list(InvoiceReminder.objects.filter(invoice=invoiced).values_list("key", flat=True))
    assert keys == ["due_soon", "due_today", "overdue:1", "overdue:2"]


def test_a_paid_invoice_gets_no_reminder(invoiced, supplier_finance, clock):
    services.record_offline_payment(actor=supplier_finance, invoice_id=invoiced.pk, amount="1050", reference="TT")
    clock.travel(_at_noon_days_from_due(invoiced, 7))
    assert services.sweep_invoice_reminders(clock.now()) == 0


def test_reminders_e_mail_the_buyers_finance_and_overdue_ones_the_supplier_too(
    invoiced,
    company,
    company_finance,
    supplier,
    supplier_finance,
    clock,
    celery_eager,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    company_finance.language = "zh-hans"
    company_finance.save(update_fields=["language"])
    clock.travel(_at_noon_days_from_due(invoiced, 7))
    with django_capture_on_commit_callbacks(execute=True):
        services.sweep_invoice_reminders(clock.now())
    to = {m.to[0]: m for m in mailoutbox if invoiced.number in m.subject}
    assert set(to) == {company.owner.email, company_finance.email, supplier_finance.email, supplier.owner.email}
    assert invoiced.number in to[company.owner.email].subject and "overdue" in to[company.owner.email].subject
    assert "逾期" in to[company_finance.email].subject
    assert f"/invoices/{invoiced.pk}/" in to[company.owner.email].body
    assert f"/console/{invoiced.seller_id}/invoices/{invoiced.pk}/" in to[supplier_finance.email].body
    with django_capture_on_commit_callbacks(execute=True):
        services.sweep_invoice_reminders(clock.now())
    assert len([m for m in mailoutbox if invoiced.number in m.subject]) == 4


def test_issuing_e_mails_the_buyer(net30_order, celery_eager, mailoutbox, django_capture_on_commit_callbacks):
    from tests.invoicing.conftest import ship

    with django_capture_on_commit_callbacks(execute=True):
        ship(net30_order)
    invoice = net30_order.invoices.get()
    issued = [m for m in mailoutbox if invoice.number in m.subject]
    assert [m.to[0] for m in issued] == [net30_order.buyer.email]
