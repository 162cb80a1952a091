"""The books after any test: every money movement of the payment provider is in the ledger, and the ledger adds up.

Run after every test that uses the database (the autouse fixture in tests/conftest.py), so every path the suite
takes (checkout, late captures, cancellations, returns, payouts, …) is checked, not only the ones written for it.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from tradeloop.invoicing.models import Invoice
from tradeloop.ledger.models import Account, Entry
from tradeloop.ledger.selectors import ledger_is_balanced, stored, with_balances
from tradeloop.ledger.services import PAYMENT_PREFIX, RECEIVABLE_PREFIX
from tradeloop.payments.models import Payment


def _sums(rows) -> dict:
    found: dict = defaultdict(Decimal)
    for key, amount in rows:
        found[key] += Decimal(amount)
    return {key: total for key, total in found.items() if total}


def payments_side() -> tuple[dict[str, Decimal], dict[str, Decimal]]:
    """Per currency, from payments' tables: money captured, and captured minus refunded."""
    rows = list(Payment.objects.values_list("currency", "captured_amount", "refunded_amount"))
    captured = _sums((currency, c) for currency, c, _r in rows)
    kept = _sums((currency, c - r) for currency, c, r in rows)
    return captured, kept


def ledger_side() -> tuple[dict[str, Decimal], dict[str, Decimal]]:
    """Per currency, from the ledger: money received from buyers, and what it holds for buyers' payments (the
    provider account's entries under `payment:`: received minus refunded)."""
    rows = list(
        Entry.objects.filter(
            account__code__startswith="platform:clearing:", transaction__ref__startswith=PAYMENT_PREFIX
        ).values_list("currency", "amount", "transaction__ref")
    )
    received = _sums((currency, amount) for currency, amount, ref in rows if ref.endswith(":captured"))
    held = _sums((currency, amount) for currency, amount, _ref in rows)
    return received, held


def assert_books_balance() -> None:
    assert ledger_is_balanced(), "a ledger transaction does not balance"
    captured, kept = payments_side()
    received, held = ledger_side()
    assert captured == received, f"captured {captured} but the ledger received {received}"
    assert kept == held, f"captured minus refunded is {kept} but the ledger holds {held} for buyers' payments"
    entries = _sums(Entry.objects.filter(account__owner__isnull=False).values_list("account_id", "amount"))
    for account in with_balances(Account.objects.filter(owner__isnull=False)):
        derived = stored(account.balance_amount)
        assert derived == entries.get(account.pk, Decimal(0)) * account.sign, f"{account.code}: {derived}"

    assert receivables_ledger() == receivables_invoiced(), "a buyer's receivable is not what its invoices leave open"
    assert_escrow_adds_up()


def assert_escrow_adds_up() -> None:
    """Escrow never holds a negative amount for an order, and the escrow account holds exactly what the escrow
    orders still have in it."""
    from tradeloop.ledger.services import order_money
    from tradeloop.orders.models import Order

    held = defaultdict(Decimal)
    for order in Order.objects.filter(held_in_escrow=True):
        in_escrow = order_money(order).in_escrow
        assert in_escrow >= 0, f"escrow of order {order.number} is negative: {in_escrow}"
        held[order.currency] += in_escrow
    account = _sums(
        Entry.objects.filter(account__code__startswith="platform:escrow:").values_list("currency", "amount")
    )
    assert {c: -a for c, a in account.items()} == {c: a for c, a in held.items() if a}, "escrow account ≠ orders"


def receivables_invoiced() -> dict[tuple[int, str], Decimal]:
    """Per (buyer organization, currency), from the invoices: issued (not void) minus paid."""
    rows = Invoice.objects.exclude(state=Invoice.State.VOID).values_list(
        "buyer_org_id", "currency", "total", "paid_amount"
    )
    return _sums(((org, currency), total - paid) for org, currency, total, paid in rows)


def receivables_ledger() -> dict[tuple[int, str], Decimal]:
    """Per (buyer organization, currency), from the ledger: the receivable accounts' balances."""
    accounts = with_balances(Account.objects.filter(code__startswith=RECEIVABLE_PREFIX))
    return _sums(((a.owner_id, a.currency), stored(a.balance_amount)) for a in accounts)
