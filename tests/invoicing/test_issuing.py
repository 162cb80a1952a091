from datetime import timedelta
from decimal import Decimal

from tests.invoicing.conftest import ship, terms_order
from tradeloop.invoicing.models import Invoice
from tradeloop.ledger import services as ledger
from tradeloop.ledger.selectors import balance
from tradeloop.orders.models import Order


def test_a_net30_order_is_invoiced_when_it_ships(net30_order, clock):
    assert net30_order.state == Order.State.CONFIRMED
    assert not net30_order.invoices.exists()
    shipment = ship(net30_order)
    shipped_at = shipment.shipped_at
    invoice = net30_order.invoices.get()
    assert invoice.kind == Invoice.Kind.FULL and invoice.state == Invoice.State.ISSUED
    assert invoice.total == Decimal("1050.00") and invoice.number == f"ACME-{shipped_at.year}-000001"
    assert invoice.issued_at - shipped_at < timedelta(seconds=1)
    assert invoice.due_at == invoice.issued_at + timedelta(days=30)
    assert sum(line.amount for line in invoice.lines.all()) == invoice.total
    assert [line.kind for line in invoice.lines.all()] == ["item", "shipping"]


def test_the_issue_posts_the_sale_to_the_buyers_receivable(invoiced, supplier, company):
    order = invoiced.order
    assert balance(ledger.buyer_receivable(company, "CNY")).amount == Decimal("1050.00")
    assert balance(ledger.seller_pending(supplier, "CNY")).amount == Decimal("997.50")
    money = ledger.order_money(order)
    assert money.sold and money.total == Decimal("1050.00") and money.commission == Decimal("52.50")
    assert invoiced.commission == Decimal("52.50")


def test_two_parcels_invoice_the_order_once_at_the_first(supplier, company):
    order = terms_order(supplier=supplier, company=company, quantity=10)
    line = order.lines.get()
    ship(order, {line.pk: 4})
    first = order.invoices.get()
    ship(order, {line.pk: 6})
    assert list(order.invoices.all()) == [first] and first.total == order.total


def test_numbers_follow_each_other_per_seller(supplier, company, merchant):
    a = terms_order(supplier=supplier, company=company)
    b = terms_order(supplier=supplier, company=company)
    other = terms_order(supplier=merchant, company=company)
    for order in (a, b, other):
        ship(order)
    numbers = [o.invoices.get().number.rsplit("-", 1)[1] for o in (a, b, other)]
    assert numbers == ["000001", "000002", "000001"]


def test_deposit_terms_invoice_the_deposit_at_confirmation_and_the_balance_at_shipping(supplier, company, clock):
    order = terms_order(supplier=supplier, company=company, terms="deposit30-net30")
    deposit = order.invoices.get()
    assert deposit.kind == Invoice.Kind.DEPOSIT and deposit.total == Decimal("315.00")
    assert deposit.due_at == deposit.issued_at + timedelta(days=7)
    clock.advance(days=2)
    ship(order)
    balance_invoice = order.invoices.get(kind=Invoice.Kind.BALANCE)
    assert balance_invoice.total == Decimal("735.00")
    assert sum(line.amount for line in balance_invoice.lines.all()) == Decimal("735.00")
    assert deposit.commission + balance_invoice.commission == Decimal("52.50")
    assert ledger.order_money(order).total == order.total
    assert balance_invoice.number.endswith("000002")


def test_a_prepay_b2b_order_gets_no_invoice(supplier, company):
    order = terms_order(supplier=supplier, company=company, terms="prepay")
    assert order.state == Order.State.PENDING_PAYMENT
    assert not order.invoices.exists()


def test_cancelling_before_any_payment_voids_the_invoice_and_reverses_the_sale(supplier, company):
    from tradeloop.orders import services as orders

    order = terms_order(supplier=supplier, company=company, terms="deposit30-net30")
    orders.cancel(order=order, actor=None, reason="changed our mind")
    deposit = order.invoices.get()
    assert deposit.state == Invoice.State.VOID and deposit.voided_at is not None
    assert balance(ledger.buyer_receivable(company, "CNY")).amount == 0
    assert balance(ledger.seller_pending(supplier, "CNY")).amount == 0
    assert ledger.order_money(order).total == 0
