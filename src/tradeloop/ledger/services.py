"""The double-entry ledger: every money movement is one transaction whose entries sum to zero per currency.

Entries are signed: a debit is positive, a credit negative. Accounts are found (or opened) by code:

    platform:clearing:CNY        asset      money the platform holds at the payment provider
    platform:payments:CNY        liability  buyers' payments received and not (yet) passed to a sale or refunded
    platform:revenue:CNY         revenue    commission earned
    seller:<org id>:pending:CNY  liability  sold, not yet payable to the seller
    seller:<org id>:available:CNY liability payable to the seller now
    buyer:<user id>:credit:CNY   liability  store credit owed to a buyer
    platform:escrow:CNY          liability  escrow orders' money (C2C), held until released or refunded
    receivable:<org id>:CNY      asset      invoiced to a buyer organization on payment terms, not yet paid
    promo:<org id>:wallet:CNY    liability  a seller's prepaid promotion wallet (sponsored placement)
    platform:ads:CNY             revenue    sponsored clicks charged

Money moving through the payment provider posts under `payment:<payment id>:` (the payments app calls these for
every capture and every refund, whatever caused it, so no movement can bypass the ledger):

    record_payment_received  payment:<id>:captured          Dr clearing / Cr payments
    record_payment_refund    payment:<id>:refund:<refund>   Dr payments / Cr clearing (the money leaves)
    record_refund_failed     …:refund:<refund>:failed       the reverse: the provider gave nothing back

So per currency, the clearing entries under `payment:` are exactly money captured minus money refunded.

The order lifecycle posts, all under refs that start with `order:<id>:`:

    record_sale    order:<id>:paid           Dr payments total / Cr seller pending (net) / Cr revenue (commission)
    record_refund  order:<id>:refund:<ref>   the reverse, in proportion (from pending, or from available once
                                             settled): the money is the buyer's again, until the provider pays it
    settle         order:<id>:settled        Dr seller pending / Cr seller available (what is left of the net)
    payouts (payments app)  payout:<id>      Dr seller available / Cr clearing

An escrow order (`order.held_in_escrow`, C2C) earns nothing until it is released: its sale credits escrow with the
whole total, a refund before release comes out of escrow, and its settlement is the release:

    record_sale    order:<id>:paid           Dr payments total / Cr escrow total
    record_refund  order:<id>:refund:<ref>   Dr escrow / Cr payments (refused once released)
    settle         order:<id>:settled        Dr escrow (all that is left) / Cr seller available (net) / Cr revenue
                                             (commission on what is released)

An order on payment terms (invoicing) is sold when an invoice is issued, not when it is paid; the sale's buyer
leg is the buyer organization's receivable instead of buyers' payments:

    record_invoice_sale     order:<id>:invoice:<invoice id>        Dr receivable / Cr seller pending / Cr revenue
    record_invoice_void     order:<id>:invoice:<invoice id>:void   the reverse (the order was cancelled unpaid)
    record_invoice_payment  invoice:<invoice id>:payment:<n>       online: Dr payments / Cr receivable (after the
                                                                   capture's own posting); offline: Dr seller
                                                                   available / Cr receivable (the seller got it)

`order_money` reads the receivable legs of `order:<id>:invoice:…` as the sale total, so settle and refund see them.

A payment that pays no sale (captured after its checkout expired, or for an order cancelled meanwhile) is received
and refunded under `payment:` only; `platform:payments` is back at zero once every payment is sold or refunded.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction

from tradeloop.accounts.models import Organization, User
from tradeloop.core.errors import Conflict, DomainError, ValidationFailed
from tradeloop.core.money import Money, check_currency, quantize
from tradeloop.ledger.models import Account, Entry, Transaction

Leg = tuple[Account, Money]
ZERO = Decimal(0)


class Unbalanced(DomainError):
    """The legs of a transaction do not sum to zero in some currency: nothing is posted."""

    code = "unbalanced"

    def __init__(self, memo: str, totals: dict[str, Decimal]):
        off = ", ".join(f"{currency} {total}" for currency, total in sorted(totals.items()))
        super().__init__(f"transaction {memo!r} does not balance: {off}")
        self.totals = totals


# --- accounts ----------------------------------------------------------------------------------------------------


def _account(code: str, *, name: str, kind: str, currency: str, owner: Organization | None = None) -> Account:
    currency = check_currency(currency)
    account, _ = Account.objects.get_or_create(
        code=code, defaults={"name": name[:160], "kind": kind, "currency": currency, "owner": owner}
    )
    return account


def platform_clearing(currency: str) -> Account:
    return _account(
        f"platform:clearing:{currency}",
        name=f"Held at the payment provider ({currency})",
        kind=Account.Kind.ASSET,
        currency=currency,
    )


def platform_payments(currency: str) -> Account:
    return _account(
        f"platform:payments:{currency}",
        name=f"Buyers' payments received, not yet sold or refunded ({currency})",
        kind=Account.Kind.LIABILITY,
        currency=currency,
    )


def platform_revenue(currency: str) -> Account:
    return _account(
        f"platform:revenue:{currency}",
        name=f"Commission revenue ({currency})",
        kind=Account.Kind.REVENUE,
        currency=currency,
    )


def escrow(currency: str) -> Account:
    return _account(
        f"platform:escrow:{currency}",
        name=f"Buyers' money held in escrow until receipt ({currency})",
        kind=Account.Kind.LIABILITY,
        currency=currency,
    )


def seller_pending(org: Organization, currency: str) -> Account:
    return _account(
        f"seller:{org.pk}:pending:{currency}",
        name=f"{org.name}: pending ({currency})",
        kind=Account.Kind.LIABILITY,
        currency=currency,
        owner=org,
    )


def seller_available(org: Organization, currency: str) -> Account:
    return _account(
        f"seller:{org.pk}:available:{currency}",
        name=f"{org.name}: available ({currency})",
        kind=Account.Kind.LIABILITY,
        currency=currency,
        owner=org,
    )


def buyer_credit(user: User, currency: str) -> Account:
    return _account(
        f"buyer:{user.pk}:credit:{currency}",
        name=f"Store credit of {user.email} ({currency})",
        kind=Account.Kind.LIABILITY,
        currency=currency,
    )


def buyer_receivable(org: Organization, currency: str) -> Account:
    """What a buyer organization owes on issued invoices (debit-normal: the platform's claim on the buyer)."""
    return _account(
        f"receivable:{org.pk}:{currency}",
        name=f"{org.name}: receivable ({currency})",
        kind=Account.Kind.ASSET,
        currency=currency,
        owner=org,
    )


RECEIVABLE_PREFIX = "receivable:"


def promotion_wallet(org: Organization, currency: str) -> Account:
    """A seller's prepaid promotion wallet (sponsored placement): topped up from available, spent on clicks."""
    return _account(
        f"promo:{org.pk}:wallet:{currency}",
        name=f"{org.name}: promotion wallet ({currency})",
        kind=Account.Kind.LIABILITY,
        currency=currency,
        owner=org,
    )


def platform_ad_revenue(currency: str) -> Account:
    return _account(
        f"platform:ads:{currency}",
        name=f"Sponsored placement revenue ({currency})",
        kind=Account.Kind.REVENUE,
        currency=currency,
    )


# --- posting -----------------------------------------------------------------------------------------------------


def _checked_legs(memo: str, legs: list[Leg]) -> list[Leg]:
    """Drops zero legs; refuses a leg in another currency than its account, and any per-currency imbalance."""
    totals: dict[str, Decimal] = defaultdict(Decimal)
    kept = []
    for account, money in legs:
        if money.currency != account.currency:
            raise ValidationFailed(
                f"{account.code} is kept in {account.currency}, not {money.currency}", field="currency"
            )
        if money.amount != quantize(money.amount, money.currency):
            raise ValidationFailed(f"{money.amount} has more decimals than {money.currency} allows", field="amount")
        totals[money.currency] += money.amount
        if money.amount:
            kept.append((account, money))
    if any(totals.values()):
        raise Unbalanced(memo, {c: t for c, t in totals.items() if t})
    return kept


def post(*, memo: str, ref: str, legs: list[Leg]) -> Transaction:
    """Posts one balanced transaction. Posting a ref that exists returns that transaction unchanged."""
    if not ref:
        raise ValidationFailed("a ledger transaction needs a ref", field="ref")
    existing = Transaction.objects.filter(ref=ref).first()
    if existing is not None:
        return existing
    kept = _checked_legs(memo, legs)
    try:
        with transaction.atomic():
            txn = Transaction.objects.create(memo=memo[:200], ref=ref)
            Entry.objects.bulk_create(
                Entry(transaction=txn, account=account, amount=money.amount, currency=money.currency)
                for account, money in kept
            )
    except IntegrityError:
        # A concurrent post of the same ref won the race: it is the one transaction for this ref.
        return Transaction.objects.get(ref=ref)
    return txn


# --- money through the payment provider ----------------------------------------------------------------------

PAYMENT_PREFIX = "payment:"


def _payment_move(*, memo: str, ref: str, amount: Money, received: bool) -> Transaction:
    amount = amount.rounded()
    sign = 1 if received else -1
    return post(
        memo=memo,
        ref=ref,
        legs=[
            (platform_clearing(amount.currency), amount * sign),
            (platform_payments(amount.currency), amount * -sign),
        ],
    )


@transaction.atomic
def record_payment_received(*, payment_id: int, amount: Money) -> Transaction:
    """A buyer's payment was captured: the money is at the provider, held for the buyer until a sale uses it."""
    return _payment_move(
        memo=f"payment {payment_id} captured",
        ref=f"{PAYMENT_PREFIX}{payment_id}:captured",
        amount=amount,
        received=True,
    )


@transaction.atomic
def record_payment_refund(*, payment_id: int, refund_id: int, amount: Money) -> Transaction:
    """Money of a payment goes back to the buyer through the provider (any cause: a return, a cancellation, …)."""
    return _payment_move(
        memo=f"refund {refund_id} of payment {payment_id}",
        ref=f"{PAYMENT_PREFIX}{payment_id}:refund:{refund_id}",
        amount=amount,
        received=False,
    )


@transaction.atomic
def record_refund_failed(*, payment_id: int, refund_id: int, amount: Money) -> Transaction:
    """The provider refused a refund already posted: the money is still held, for the buyer."""
    return _payment_move(
        memo=f"refund {refund_id} of payment {payment_id} failed",
        ref=f"{PAYMENT_PREFIX}{payment_id}:refund:{refund_id}:failed",
        amount=amount,
        received=True,
    )


# --- the order lifecycle -----------------------------------------------------------------------------------------


@dataclass
class OrderMoney:
    """What the ledger already holds for one order (read from its `order:<id>:` transactions in one query)."""

    total: Decimal = ZERO  # charged (buyers' payments debited at the sale)
    commission: Decimal = ZERO  # commission taken at the sale
    refunded: Decimal = ZERO  # given back so far
    commission_refunded: Decimal = ZERO
    settled: bool = False
    sold: bool = False
    released: Decimal = ZERO  # escrow orders: what left escrow at the release

    @property
    def in_escrow(self) -> Decimal:
        """Escrow orders: what escrow still holds for the order (never negative)."""
        return self.total - self.refunded - self.released

    @property
    def seller_net(self) -> Decimal:
        return self.total - self.commission - (self.refunded - self.commission_refunded)


def _order_prefix(order) -> str:
    return f"order:{order.pk}:"


def order_money(order) -> OrderMoney:
    """One query over the order's transactions (a LEFT JOIN keeps those without entries, e.g. a zero total)."""
    prefix = _order_prefix(order)
    found = OrderMoney()
    rows = Transaction.objects.filter(ref__startswith=prefix).values_list(
        "ref", "entries__account__code", "entries__amount"
    )
    for ref, code, amount in rows:
        part = ref[len(prefix) :]
        code = code or ""
        if part == "settled":
            found.settled = True
            if code.startswith("platform:escrow:"):
                found.released += amount
            elif code.startswith("platform:revenue:"):
                found.commission -= amount
        elif part == "paid":
            found.sold = True
            if code.startswith("platform:payments:"):
                found.total += amount
            elif code.startswith("platform:revenue:"):
                found.commission -= amount
        elif part.startswith("invoice:"):  # an invoice issued on payment terms (or its void: negative legs)
            found.sold = True
            if code.startswith(RECEIVABLE_PREFIX):
                found.total += amount
            elif code.startswith("platform:revenue:"):
                found.commission -= amount
        elif part.startswith("release:"):  # a part of an escrow order released (or a release reversed)
            if code.startswith("platform:escrow:"):
                found.released += amount
            elif code.startswith("platform:revenue:"):
                found.commission -= amount
        elif part.startswith("refund:"):
            if code.startswith("platform:payments:"):
                found.refunded -= amount
            elif code.startswith("platform:revenue:"):
                found.commission_refunded += amount
    return found


def _lock(order) -> None:
    """Serialises money postings of one order (refund vs settle) on its row."""
    type(order).objects.select_for_update().filter(pk=order.pk).values_list("pk", flat=True).first()


def commission_of(total: Money, rate: Decimal) -> Money:
    return Money(quantize(total.amount * Decimal(rate), total.currency), total.currency)


@transaction.atomic
def record_sale(*, order) -> Transaction:
    """The buyer paid the order: the total leaves the buyers' payments; the seller is owed it minus commission (an
    escrow order: escrow holds it all)."""
    total = Money(Decimal(order.total), order.currency).rounded()
    if order.held_in_escrow:
        return post(
            memo=f"order {order.number} paid into escrow",
            ref=f"{_order_prefix(order)}paid",
            legs=[(platform_payments(total.currency), total), (escrow(total.currency), -total)],
        )
    commission = commission_of(total, order.commission_rate)
    return post(
        memo=f"order {order.number} paid",
        ref=f"{_order_prefix(order)}paid",
        legs=[
            (platform_payments(total.currency), total),
            (seller_pending(order.seller, total.currency), -(total - commission)),
            (platform_revenue(total.currency), -commission),
        ],
    )


@transaction.atomic
def record_refund(*, order, amount: Money, ref: str) -> Transaction:
    """Gives `amount` of the order back: the seller's and the platform's shares shrink in proportion.

    Cumulative rounding: after refunding everything, the commission given back equals the commission taken,
    to the cent. The seller's share comes from pending until the order is settled, from available after.
    """
    if not ref:
        raise ValidationFailed("a refund needs a ref", field="ref")
    ledger_ref = f"{_order_prefix(order)}refund:{ref}"
    existing = Transaction.objects.filter(ref=ledger_ref).first()
    if existing is not None:
        return existing
    if amount.currency != order.currency:
        raise ValidationFailed(f"the order is in {order.currency}, not {amount.currency}", field="currency")
    amount = amount.rounded()
    if amount.amount <= 0:
        raise ValidationFailed("a refund must be more than zero", field="amount")
    _lock(order)
    money = order_money(order)
    if not money.sold:
        raise Conflict(f"order {order.number} has no recorded payment to refund", code="not_paid")
    if money.refunded + money.released + amount.amount > money.total:
        left = Money(money.total - money.refunded - money.released, order.currency)
        raise Conflict(
            f"only {left} of order {order.number} is left to refund", code="refund_too_large", field="amount"
        )
    if order.held_in_escrow:
        return _refund_from_escrow(order, money, amount, ledger_ref)
    commission_after = quantize((money.refunded + amount.amount) * money.commission / money.total, order.currency)
    commission_part = Money(commission_after - money.commission_refunded, order.currency)
    seller_account = (seller_available if money.settled else seller_pending)(order.seller, order.currency)
    return post(
        memo=f"refund on order {order.number}",
        ref=ledger_ref,
        legs=[
            (platform_payments(order.currency), -amount),
            (seller_account, amount - commission_part),
            (platform_revenue(order.currency), commission_part),
        ],
    )


def _refund_from_escrow(order, money: OrderMoney, amount: Money, ledger_ref: str) -> Transaction:
    if money.settled:
        raise Conflict(f"the escrow of order {order.number} was released already", code="escrow_closed")
    return post(
        memo=f"refund on order {order.number} from escrow",
        ref=ledger_ref,
        legs=[(platform_payments(order.currency), -amount), (escrow(order.currency), amount)],
    )


def _release_escrow(order, money: OrderMoney, ref: str) -> Transaction:
    """All that escrow still holds goes to the seller, minus the commission on it."""
    held = Money(money.in_escrow, order.currency)
    if held.amount <= 0:
        raise Conflict(f"escrow holds nothing for order {order.number}", code="escrow_closed")
    commission = commission_of(held, order.commission_rate)
    legs = [(escrow(order.currency), held), (seller_available(order.seller, order.currency), -(held - commission))]
    if commission.amount:
        legs.append((platform_revenue(order.currency), -commission))
    return post(memo=f"order {order.number}: escrow released", ref=ref, legs=legs)


@transaction.atomic
def release_part(*, order, amount: Money, ref: str) -> Transaction:
    """An escrow order gives `amount` of what escrow holds to the seller, minus the commission on it (an O2O
    voucher redeemed). `ref` names the release (unique per release: posting it twice posts once)."""
    ledger_ref = f"{_order_prefix(order)}release:{ref}"
    if (existing := transaction_for(ledger_ref)) is not None:
        return existing
    amount = amount.rounded()
    if not order.held_in_escrow or amount.amount <= 0:
        raise ValidationFailed("only a positive part of an escrow order can be released", field="amount")
    _lock(order)
    money = order_money(order)
    if money.settled or amount.amount > money.in_escrow:
        raise Conflict(f"escrow holds less than {amount} for order {order.number}", code="escrow_closed")
    commission = commission_of(amount, order.commission_rate)
    legs = [(escrow(order.currency), amount), (seller_available(order.seller, order.currency), -(amount - commission))]
    if commission.amount:
        legs.append((platform_revenue(order.currency), -commission))
    return post(memo=f"order {order.number}: {amount} released from escrow", ref=ledger_ref, legs=legs)


@transaction.atomic
def reverse_release(*, order, ref: str) -> Transaction:
    """Takes back the release `ref` (a mistaken redemption undone): the same legs, negated, back into escrow."""
    released = transaction_for(f"{_order_prefix(order)}release:{ref}")
    if released is None:
        raise Conflict(f"order {order.number} has no release {ref}", code="escrow_closed")
    ledger_ref = f"{_order_prefix(order)}release:{ref}:reversed"
    if (existing := transaction_for(ledger_ref)) is not None:
        return existing
    _lock(order)
    legs = [(e.account, Money(-e.amount, e.account.currency)) for e in released.entries.select_related("account")]
    return post(memo=f"order {order.number}: release {ref} reversed", ref=ledger_ref, legs=legs)


@transaction.atomic
def settle(*, order) -> Transaction:
    """The order is complete: what the seller still earns on it moves from pending to available."""
    ref = f"{_order_prefix(order)}settled"
    existing = Transaction.objects.filter(ref=ref).first()
    if existing is not None:
        return existing
    _lock(order)
    money = order_money(order)
    if not money.sold:
        raise Conflict(f"order {order.number} has no recorded payment to settle", code="not_paid")
    if order.held_in_escrow:
        return _release_escrow(order, money, ref)
    net = Money(money.seller_net, order.currency)
    return post(
        memo=f"order {order.number} settled",
        ref=ref,
        legs=[
            (seller_pending(order.seller, order.currency), net),
            (seller_available(order.seller, order.currency), -net),
        ],
    )


# --- invoices on payment terms ------------------------------------------------------------------------------------


@transaction.atomic
def record_invoice_sale(*, order, invoice_id: int, number: str, amount: Money, commission: Money) -> Transaction:
    """An invoice for (part of) an order on payment terms was issued: the buyer organization owes `amount`; the
    seller is owed it minus `commission` (pending until the order settles), the platform earns the commission."""
    if order.buyer_org_id is None:
        raise ValidationFailed("an invoiced order needs a buyer organization", field="buyer_org")
    amount, commission = amount.rounded(), commission.rounded()
    return post(
        memo=f"invoice {number} issued (order {order.number})",
        ref=f"{_order_prefix(order)}invoice:{invoice_id}",
        legs=[
            (buyer_receivable(order.buyer_org, amount.currency), amount),
            (seller_pending(order.seller, amount.currency), -(amount - commission)),
            (platform_revenue(amount.currency), -commission),
        ],
    )


@transaction.atomic
def record_invoice_void(*, order, invoice_id: int, number: str) -> Transaction:
    """The invoice's sale is undone (the order was cancelled before anything was paid): its posting, reversed."""
    issued = Transaction.objects.filter(ref=f"{_order_prefix(order)}invoice:{invoice_id}").first()
    if issued is None:
        raise Conflict(f"invoice {number} was never issued", code="not_issued")
    legs = [(entry.account, Money(-entry.amount, entry.currency)) for entry in issued.entries.select_related("account")]
    return post(memo=f"invoice {number} void", ref=f"{_order_prefix(order)}invoice:{invoice_id}:void", legs=legs)


@transaction.atomic
def record_invoice_payment(
    *,
    invoice_id: int,
    number: str,
    buyer_org: Organization,
    seller: Organization,
    amount: Money,
    ref: str,
    online: bool,
) -> Transaction:
    """Money against an invoice: online, the buyers' payment the provider captured (already posted under
    `payment:`) settles the receivable; offline, the seller got it directly, so the platform owes the seller that
    much less (its available balance; the commission stays owed)."""
    amount = amount.rounded()
    if amount.amount <= 0:
        raise ValidationFailed("a payment must be more than zero", field="amount")
    source = platform_payments(amount.currency) if online else seller_available(seller, amount.currency)
    return post(
        memo=f"invoice {number} paid ({'online' if online else 'offline'})",
        ref=f"invoice:{invoice_id}:payment:{ref}",
        legs=[(source, amount), (buyer_receivable(buyer_org, amount.currency), -amount)],
    )


def transaction_for(ref: str) -> Transaction | None:
    return Transaction.objects.filter(ref=ref).first()


def lock_accounts(accounts: list[Account]) -> None:
    """Row locks on accounts whose balance a posting is about to spend (payouts), in a stable order."""
    ids = sorted(a.pk for a in accounts)
    list(Account.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))
