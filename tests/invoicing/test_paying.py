from datetime import timedelta
from decimal import Decimal

import pytest

from tests.invoicing.conftest import ship, terms_order
from tradeloop.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from tradeloop.fulfilment import services as fulfilment
from tradeloop.invoicing import selectors, services
from tradeloop.invoicing.models import Invoice
from tradeloop.ledger import services as ledger
from tradeloop.ledger.selectors import balance
from tradeloop.orders import services as orders
from tradeloop.orders.models import Order


def _receivable(company) -> Decimal:
    return balance(ledger.buyer_receivable(company, "CNY")).amount


def test_a_partial_then_full_offline_payment(invoiced, supplier, supplier_finance, company):
    services.record_offline_payment(actor=supplier_finance, invoice_id=invoiced.pk, amount="400", reference="TT-1")
    invoiced.refresh_from_db()
    assert invoiced.state == Invoice.State.PARTIALLY_PAID and invoiced.paid_amount == Decimal("400")
    assert _receivable(company) == Decimal("650.00")
    assert balance(ledger.seller_available(supplier, "CNY")).amount == Decimal("-400.00")
    services.record_offline_payment(actor=supplier_finance, invoice_id=invoiced.pk, amount="650.00", reference="TT-2")
    invoiced.refresh_from_db()
    assert invoiced.state == Invoice.State.PAID and invoiced.paid_at is not None
    assert _receivable(company) == 0
    assert selectors.unpaid_total(company, "CNY").amount == 0
    assert selectors.paid_on_order(invoiced.order) == Decimal("1050.00")


def test_an_offline_payment_over_what_is_open_is_refused(invoiced, supplier_finance):
    with pytest.raises(Conflict) as refused:
        services.record_offline_payment(actor=supplier_finance, invoice_id=invoiced.pk, amount="1050.01", reference="x")
    assert refused.value.code == "overpaid"
    with pytest.raises(ValidationFailed):
        services.record_offline_payment(actor=supplier_finance, invoice_id=invoiced.pk, amount="10", reference=" ")
    with pytest.raises(ValidationFailed):
        services.record_offline_payment(actor=supplier_finance, invoice_id=invoiced.pk, amount="-1", reference="x")


def test_only_the_sellers_finance_records_payments(invoiced, company_finance, stranger, supplier):
    from tests.factories import member

    with pytest.raises(NotFound):
        services.record_offline_payment(actor=stranger, invoice_id=invoiced.pk, amount="1", reference="x")
    with pytest.raises(NotFound):  # the buyer's side cannot record the seller's receipts
        services.record_offline_payment(actor=company_finance, invoice_id=invoiced.pk, amount="1", reference="x")
    with pytest.raises(PermissionDenied):
        services.record_offline_payment(
            actor=member(supplier, "fulfilment"), invoice_id=invoiced.pk, amount="1", reference="x"
        )


def test_paying_online_through_the_provider(invoiced, company, company_finance, supplier, pay):
    payment, url = services.start_online_payment(actor=company_finance, invoice_id=invoiced.pk)
    assert payment.amount == Decimal("1050.00") and url
    pay(payment)
    invoiced.refresh_from_db()
    assert invoiced.state == Invoice.State.PAID
    assert invoiced.payments.get().payment == payment
    assert _receivable(company) == 0
    assert balance(ledger.platform_payments("CNY")).amount == 0
    assert balance(ledger.seller_pending(supplier, "CNY")).amount == Decimal("997.50")


def test_a_second_payment_captured_after_the_first_goes_back(invoiced, company_finance, pay):
    first, _ = services.start_online_payment(actor=company_finance, invoice_id=invoiced.pk)
    second, _ = services.start_online_payment(actor=company_finance, invoice_id=invoiced.pk)
    pay(first)
    pay(second)
    second.refresh_from_db()
    assert second.refunded_amount == second.captured_amount == Decimal("1050.00")
    assert invoiced.payments.count() == 1
    with pytest.raises(Conflict) as refused:
        services.start_online_payment(actor=company_finance, invoice_id=invoiced.pk)
    assert refused.value.code == "not_payable"


def test_a_payment_after_a_partial_offline_one_pays_the_rest_and_returns_the_excess(
    invoiced, company_finance, supplier_finance, pay
):
    payment, _ = services.start_online_payment(actor=company_finance, invoice_id=invoiced.pk)
    services.record_offline_payment(actor=supplier_finance, invoice_id=invoiced.pk, amount="50", reference="cash")
    pay(payment)
    invoiced.refresh_from_db()
    payment.refresh_from_db()
    assert invoiced.state == Invoice.State.PAID
    assert payment.refunded_amount == Decimal("50.00")


def test_only_the_buying_company_pays_online(invoiced, stranger, supplier):
    with pytest.raises(NotFound):
        services.start_online_payment(actor=stranger, invoice_id=invoiced.pk)
    with pytest.raises(NotFound):
        services.start_online_payment(actor=supplier.owner, invoice_id=invoiced.pk)


def _deliver(order: Order) -> None:
    owner = order.seller.memberships.first().user
    for shipment in order.shipments.all():
        fulfilment.mark_delivered(actor=owner, shipment_id=shipment.pk)


def test_an_order_with_an_unpaid_invoice_does_not_complete(invoiced, supplier_finance, supplier, clock):
    order = invoiced.order
    _deliver(order)
    clock.advance(days=30)
    assert orders.sweep_completed_orders(clock.now()) == 0
    order.refresh_from_db()
    assert order.state == Order.State.DELIVERED
    services.record_offline_payment(actor=supplier_finance, invoice_id=invoiced.pk, amount="1050", reference="TT")
    assert orders.sweep_completed_orders(clock.now()) == 1
    order.refresh_from_db()
    assert order.state == Order.State.COMPLETED
    # Paid offline: the seller holds the money, owes the commission; nothing is pending any more.
    assert balance(ledger.seller_pending(supplier, "CNY")).amount == 0
    assert balance(ledger.seller_available(supplier, "CNY")).amount == Decimal("-52.50")


def test_paid_online_the_order_settles_to_the_seller(invoiced, company_finance, supplier, pay, clock):
    payment, _ = services.start_online_payment(actor=company_finance, invoice_id=invoiced.pk)
    pay(payment)
    _deliver(invoiced.order)
    clock.advance(days=30)
    assert orders.sweep_completed_orders(clock.now()) == 1
    assert balance(ledger.seller_available(supplier, "CNY")).amount == Decimal("997.50")
    assert balance(ledger.platform_clearing("CNY")).amount == Decimal("1050.00")


def test_a_deposit_order_pays_both_invoices(supplier, company, company_finance, pay, clock):
    order = terms_order(supplier=supplier, company=company, terms="deposit30-net30")
    deposit = order.invoices.get()
    payment, _ = services.start_online_payment(actor=company_finance, invoice_id=deposit.pk)
    pay(payment)
    ship(order)
    rest = order.invoices.get(kind=Invoice.Kind.BALANCE)
    assert _receivable(company) == Decimal("735.00")
    payment, _ = services.start_online_payment(actor=company_finance, invoice_id=rest.pk)
    pay(payment)
    assert _receivable(company) == 0
    assert selectors.paid_on_order(order) == order.total


def test_overdue_is_derived_from_the_due_date(invoiced, clock):
    assert not invoiced.overdue
    clock.advance(days=30, seconds=1)
    assert invoiced.overdue and selectors.overdue_count(seller=invoiced.seller) == 1
    clock.advance(days=timedelta(days=3).days)
    assert invoiced.days_overdue == 3
