"""Vouchers: each unit of a deal bought becomes a voucher with an unguessable code, redeemed once in the shop.

    paid        (order_changed → paid, a deal's order) one voucher per unit: a code of 96 random bits (base32),
                valid until paid + the deal's voucher validity; pending until the deal tips (no tipping point: valid
                at once). The buyer counts towards the tipping point.
    tip         buyer_count reached the tipping point: tipped_at is set (a guarded UPDATE, once), every pending
                voucher becomes valid and its buyer is told
    refund      the buyer gives back an unused voucher (if the deal allows it): exactly its price, from what
                escrow still holds (`orders.refund`, ledger `order:<id>:refund:voucher:<id>`)
    cancelled   (order_changed → cancelled) a never-paid order's units are for sale again; a paid one's open
                vouchers are closed as refunded (orders refunded the money)
    sweeps      `sweep_deals(now)`: a live deal past its sale end that has not tipped fails and every buyer is
                refunded in full (its orders cancelled); one that tipped ends. `sweep_expired_vouchers(now)`:
                unused vouchers past their validity are refunded or forfeited (released to the merchant) as the
                deal says. An order completes when all its vouchers are closed (redeemed, refunded or expired).

Lock order: the order row, then its vouchers. Money moves only through `orders` and `ledger`.
"""

from __future__ import annotations

import base64
import logging
import secrets
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext

from tradeloop.accounts.models import User
from tradeloop.catalog.models import Product
from tradeloop.core import clock, states
from tradeloop.core.errors import Conflict, NotAuthenticated, NotFound
from tradeloop.core.money import Money
from tradeloop.ledger import services as ledger
from tradeloop.o2o import deals
from tradeloop.o2o.errors import Code
from tradeloop.o2o.models import AtExpiry, Deal, Voucher
from tradeloop.orders import services as orders
from tradeloop.orders import signals as order_signals
from tradeloop.orders.models import Order

log = logging.getLogger(__name__)
State = Voucher.State
OPEN = (State.PENDING, State.VALID)
LIVE = (State.PENDING, State.VALID, State.REDEEMED)  # a voucher that counts its buyer towards the tipping point
CODE_BYTES = 12  # 96 bits
PAID_STATES = (Order.State.PAID, Order.State.COMPLETED)


def new_code() -> str:
    return base64.b32encode(secrets.token_bytes(CODE_BYTES)).decode().rstrip("=")


def normalized(code: str) -> str:
    """A code as typed or scanned: spaces and dashes dropped, upper case; digits misread for letters mapped."""
    cleaned = "".join(ch for ch in str(code or "").upper() if ch.isalnum())
    return cleaned.translate(str.maketrans({"0": "O", "1": "I", "8": "B"}))[:64]


def grouped(code: str) -> str:
    """For reading aloud and typing: groups of four ("ABCD EFGH …")."""
    return " ".join(code[i : i + 4] for i in range(0, len(code), 4))


def deal_of(order: Order) -> Deal | None:
    """The deal an order buys vouchers of, read from its line (paying rewrites `checkout_ref` to the checkout's)."""
    if order.mode != Order.Mode.O2O:
        return None
    return Deal.objects.filter(product_id__in=order.lines.values("variant__product_id")).first()


# --- following the order ------------------------------------------------------------------------------------------


def _issue(order: Order, deal: Deal, now: datetime) -> list[Voucher]:
    if Voucher.objects.filter(order=order).exists():
        return []
    User.objects.select_for_update().filter(pk=order.buyer_id).values_list("pk", flat=True).first()
    first_time = not Voucher.objects.filter(deal=deal, buyer_id=order.buyer_id, state__in=LIVE).exists()
    state = State.VALID if deal.tips else State.PENDING
    valid_until = now + timedelta(days=deal.voucher_valid_days)
    made = [
        Voucher(
            deal=deal,
            order=order,
            line=line,
            buyer_id=order.buyer_id,
            code=new_code(),
            state=state,
            price=line.unit_price,
            currency=order.currency,
            valid_until=valid_until,
            created_at=now,
        )
        for line in order.lines.all()
        for _ in range(line.quantity)
    ]
    Voucher.objects.bulk_create(made)
    made = list(Voucher.objects.filter(order=order))
    states.record_many(made, reason=f"order {order.number} paid", at=now)
    deals.count_sold(deal, len(made))
    if first_time:
        Deal.objects.filter(pk=deal.pk).update(buyer_count=F("buyer_count") + 1)
    tip(deal.pk, now)
    return made


def tip(deal_id: int, now: datetime | None = None) -> bool:
    """The deal reached its tipping point: once, and its pending vouchers become valid. False when not (yet)."""
    now = now or clock.now()
    tipped = Deal.objects.filter(
        pk=deal_id, tipped_at__isnull=True, tipping_point__isnull=False, buyer_count__gte=F("tipping_point")
    ).update(tipped_at=now)
    if not tipped:
        return False
    deal = Deal.objects.get(pk=deal_id)
    states.record(deal, old=deal.state, new=deal.state, reason=f"tipped: {deal.buyer_count} buyers")
    for voucher in Voucher.objects.filter(deal_id=deal_id, state=State.PENDING):
        states.transition(voucher, State.VALID, reason="the deal tipped")
    from tradeloop.o2o import deal_mail

    transaction.on_commit(lambda: deal_mail.send_tipped.delay(deal_id))
    return True


def _close_cancelled(order: Order, deal: Deal, actor: User | None, paid: bool) -> None:
    if not paid:
        deals.give_back_units(deal.pk, sum(line.quantity for line in order.lines.all()))
        return
    closed = 0
    for voucher in Voucher.objects.select_for_update().filter(order=order, state__in=OPEN):
        _close(voucher, State.REFUNDED, actor=actor, reason=gettext("order cancelled; the buyer was refunded"))
        closed += 1
    _after_refunds(deal, order.buyer_id, closed)


def on_order_changed(sender, *, order: Order, old: str, new: str, actor=None, **kwargs) -> None:
    deal = deal_of(order)
    if deal is None:
        return
    if new == Order.State.PAID:
        _issue(order, deal, order.paid_at or clock.now())
    elif new == Order.State.CANCELLED:
        _close_cancelled(order, deal, actor, paid=old not in ("", Order.State.PENDING_PAYMENT))


def register() -> None:
    """Called from O2oConfig.ready()."""
    order_signals.order_changed.connect(on_order_changed, dispatch_uid="o2o.vouchers")


# --- closing vouchers ---------------------------------------------------------------------------------------------


def _close(voucher: Voucher, to: str, *, actor: User | None, reason: str) -> None:
    voucher.closed_at = clock.now()
    states.transition(voucher, to, actor=actor, reason=reason)


def _after_refunds(deal: Deal, buyer_id: int, refunded: int) -> None:
    """Refunded vouchers are for sale again; a buyer without vouchers left no longer counts towards tipping."""
    if not refunded:
        return
    deals.give_back_units(deal.pk, refunded)
    if not Voucher.objects.filter(deal=deal, buyer_id=buyer_id, state__in=LIVE).exists():
        Deal.objects.filter(pk=deal.pk, buyer_count__gt=0).update(buyer_count=F("buyer_count") - 1)


def _undo_window() -> timedelta:
    return timedelta(minutes=settings.TRADELOOP_O2O_UNDO_MINUTES)


def _closed_for_good(orders_qs, now: datetime):
    """Paid deal orders without open vouchers and without a redemption that may still be undone."""
    return orders_qs.exclude(vouchers__state__in=OPEN).exclude(vouchers__redeemed_at__gt=now - _undo_window())


def complete_if_closed(order: Order, *, actor: User | None = None) -> bool:
    """A paid order whose vouchers are all closed (a redemption past its undo window) completes; escrow releases
    whatever it still holds."""
    order.refresh_from_db(fields=["state"])
    if order.state != Order.State.PAID or not _closed_for_good(Order.objects.filter(pk=order.pk), clock.now()).exists():
        return False
    orders.advance(order=order, to=Order.State.COMPLETED, actor=actor, reason=gettext("every voucher is closed"))
    if ledger.order_money(order).in_escrow > 0:
        ledger.settle(order=order)
    return True


def _locked(voucher_id: int, **scope) -> tuple[Order, Voucher]:
    """Order row, then the voucher: the lock order of every voucher move."""
    found = Voucher.objects.filter(pk=voucher_id, **scope).values_list("order_id", flat=True).first()
    if found is None:
        raise NotFound(gettext("voucher not found"), field="voucher")
    order = Order.objects.select_for_update().get(pk=found)
    voucher = Voucher.objects.select_for_update(of=("self",)).select_related("deal").get(pk=voucher_id)
    return order, voucher


def _refund_price(order: Order, voucher: Voucher, *, ref: str, actor: User | None, reason: str) -> None:
    held = ledger.order_money(order).in_escrow
    if voucher.price > held:  # never more out of escrow than it holds for the order
        raise Conflict(gettext("This voucher's money is no longer held."), code=Code.VOUCHER_NOT_REFUNDABLE)
    if voucher.price > 0:
        orders.refund(order=order, amount=voucher.price, ref=ref, reason=reason, actor=actor)


def refundable(voucher: Voucher, now: datetime | None = None) -> bool:
    now = now or clock.now()
    return voucher.state in OPEN and voucher.deal.refundable_any_time and voucher.valid_until > now


@transaction.atomic
def refund(*, actor: User, voucher_id: int) -> Voucher:
    """The buyer gives back an unused voucher (when the deal allows it): exactly its price comes back."""
    if not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated(gettext("sign in first"))
    order, voucher = _locked(voucher_id, buyer=actor)
    if voucher.state not in OPEN:
        raise Conflict(gettext("Only an unused voucher can be refunded."), code=Code.VOUCHER_NOT_REFUNDABLE)
    if not refundable(voucher):
        raise Conflict(gettext("This deal's vouchers cannot be refunded."), code=Code.VOUCHER_NOT_REFUNDABLE)
    reason = gettext("voucher refunded by the buyer")
    _refund_price(order, voucher, ref=f"voucher:{voucher.pk}", actor=actor, reason=reason)
    _close(voucher, State.REFUNDED, actor=actor, reason=reason)
    _after_refunds(voucher.deal, voucher.buyer_id, 1)
    complete_if_closed(order, actor=actor)
    return voucher


# --- deals that fail, end, are withdrawn ---------------------------------------------------------------------------


def refund_untipped(deal_id: int, *, reason: str) -> int:
    """Every paid order holding vouchers that wait for the tipping point is cancelled: the buyer gets it all back.
    Idempotent (a cancelled order holds no pending voucher)."""
    done = 0
    order_ids = (
        Voucher.objects.filter(deal_id=deal_id, state=State.PENDING).values_list("order_id", flat=True).distinct()
    )
    for order_id in list(order_ids):
        with transaction.atomic():
            order = Order.objects.select_for_update().get(pk=order_id)
            if order.state != Order.State.PAID or not Voucher.objects.filter(order=order, state=State.PENDING).exists():
                continue  # re-checked under the lock
            orders.cancel(order=order, actor=None, reason=reason)
            done += 1
    return done


def _end(deal: Deal, to: str, reason: str) -> None:
    states.transition(deal, to, reason=reason)
    product = deal.product
    if product.status == Product.Status.PUBLISHED:
        states.transition(product, Product.Status.UNPUBLISHED, reason=reason)
    deals.refresh_place_prices(deals.place_ids_of(deal))


def sweep_deals(now: datetime | None = None) -> int:
    """Live deals whose sale window is over end (tipped, or no tipping point) or fail (every buyer refunded).
    Failed and withdrawn deals still holding pending vouchers (a payment that came late) are refunded too."""
    now = now or clock.now()
    done = 0
    for deal_id in list(Deal.objects.filter(state=Deal.State.LIVE, sale_ends_at__lte=now).values_list("id", flat=True)):
        with transaction.atomic():
            deal = Deal.objects.select_for_update(of=("self",)).select_related("product").get(pk=deal_id)
            if deal.state != Deal.State.LIVE or deal.sale_ends_at > now:
                continue
            if deal.tips:
                _end(deal, Deal.State.ENDED, "the sale window is over")
            else:
                _end(deal, Deal.State.FAILED, f"did not tip: {deal.buyer_count} of {deal.tipping_point} buyers")
            done += 1
    closed = Deal.objects.filter(state__in=(Deal.State.FAILED, Deal.State.WITHDRAWN), vouchers__state=State.PENDING)
    for deal_id in list(closed.values_list("id", flat=True).distinct()):
        refund_untipped(deal_id, reason=gettext("the deal did not tip: refunded in full"))
    return done


def _expire(order: Order, voucher: Voucher) -> None:
    if voucher.deal.at_expiry == AtExpiry.FORFEIT:
        if voucher.price > 0:
            ledger.release_part(
                order=order, amount=Money(voucher.price, voucher.currency), ref=f"voucher:{voucher.pk}:forfeit"
            )
        reason = gettext("expired unused: forfeited to the merchant")
    else:
        reason = gettext("expired unused: refunded")
        _refund_price(order, voucher, ref=f"voucher:{voucher.pk}:expired", actor=None, reason=reason)
    _close(voucher, State.EXPIRED, actor=None, reason=reason)


def sweep_expired_vouchers(now: datetime | None = None) -> int:
    """Valid vouchers past their validity: refunded or forfeited as their deal says; their orders may complete."""
    now = now or clock.now()
    done = 0
    due = Voucher.objects.filter(state=State.VALID, valid_until__lte=now).order_by("valid_until")
    for voucher_id in list(due.values_list("id", flat=True)[:500]):
        with transaction.atomic():
            order, voucher = _locked(voucher_id)
            if voucher.state != State.VALID or voucher.valid_until > now:
                continue
            _expire(order, voucher)
            complete_if_closed(order)
            done += 1
    return done


def sweep_closed_orders(now: datetime | None = None) -> int:
    """Deal orders whose last voucher was redeemed (and the undo window passed), refunded or expired complete."""
    now = now or clock.now()
    done = 0
    paid = Order.objects.filter(mode=Order.Mode.O2O, state=Order.State.PAID, vouchers__isnull=False)
    for order_id in list(_closed_for_good(paid, now).values_list("id", flat=True).distinct()[:500]):
        with transaction.atomic():
            order = Order.objects.select_for_update().get(pk=order_id)
            done += complete_if_closed(order)
    return done


def price_of(voucher: Voucher) -> Money:
    return Money(Decimal(voucher.price), voucher.currency)
