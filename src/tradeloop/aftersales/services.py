"""After-sales: a buyer asks to return goods (or for a refund only) within the return window; the seller decides.

Rules:
- A return may be asked for once the order is delivered, for each line within its return window (the product's
  `return_window_days`, else the platform's TRADELOOP_RETURN_WINDOW_DAYS, counted from delivery). No reason needed.
- `OrderLine.quantity_returned` counts the units claimed by open or refunded returns. It is raised by orders'
  guarded counter (`orders.record_returned`) when the buyer asks (so two requests can never claim more units than
  were bought) and lowered again when the seller rejects or the buyer withdraws.
- The refund of a line is its share of what the buyer paid for goods (order-level discounts spread over the lines;
  shipping is not refunded), pro rata for the units returned; the last unit takes the rounding remainder.
- Approving (capability support.reply or orders.fulfil) puts returned goods back in stock (kind "return") and
  refunds through orders' one refund recipe (`orders.refund`, ref `return:{id}`: the provider, the ledger and the
  order's `refunded_total`), all in one transaction. Never more than was paid: the order's refunded total, the payment's refundable amount and the ledger
  each refuse it. If the provider answers later (a pending refund), the return becomes "refunded" on its webhook.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext

from tradeloop.accounts.models import User
from tradeloop.accounts.selectors import membership
from tradeloop.aftersales import signals
from tradeloop.aftersales.models import ReturnLine, ReturnRequest
from tradeloop.aftersales.selectors import window_closes
from tradeloop.core import clock, states
from tradeloop.core.errors import Conflict, NotAuthenticated, NotFound, PermissionDenied, ValidationFailed
from tradeloop.core.money import Money, allocate, quantize
from tradeloop.inventory import services as inventory
from tradeloop.orders import services as orders
from tradeloop.orders.models import Order, OrderLine
from tradeloop.orders.services import line_ref
from tradeloop.payments.models import Refund

State = ReturnRequest.State
DECIDING_CAPABILITIES = ("support.reply", "orders.fulfil")  # after-sales staff, or those who handle the goods
MAX_REASON = 500


# ---------- who may do what ----------


def _require_decider(actor: User, seller_id: int) -> None:
    """A member of the selling organization whose role grants support.reply or orders.fulfil (else 403; 404 for
    anyone outside the organization)."""
    found = membership(actor, seller_id)
    if not any(found.role.grants(capability) for capability in DECIDING_CAPABILITIES):
        raise PermissionDenied(
            gettext("Your role (%(role)s) does not allow deciding returns.") % {"role": found.role.code}
        )


def _buyer_order(actor: User, order: Order) -> None:
    if not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated(gettext("Sign in first."))
    if order.buyer_id != actor.pk:
        raise NotFound(gettext("Order not found."))


def seller_return(*, actor: User, return_id: int) -> ReturnRequest:
    """A return the actor may decide on; another organization's answers 404."""
    found = ReturnRequest.objects.select_related("order").filter(pk=return_id).first()
    if found is None:
        raise NotFound(gettext("Return not found."))
    try:
        _require_decider(actor, found.order.seller_id)
    except NotFound as exc:
        raise NotFound(gettext("Return not found.")) from exc
    return found


# ---------- money: what a line is worth to the buyer ----------


def paid_shares(order: Order, lines: list[OrderLine]) -> dict[int, Decimal]:
    """What the buyer paid for each line's goods: the line totals, less order-level discounts spread over them in
    proportion (in whole minor units, summing exactly). Shipping is not part of it."""
    line_sum = sum((line.line_total for line in lines), Decimal(0))
    goods_paid = min(line_sum, max(order.total - order.shipping_total, Decimal(0)))
    parts = allocate(goods_paid, [line.line_total for line in lines], order.currency)
    return {line.pk: part for line, part in zip(lines, parts, strict=True)}


def refund_for(share: Decimal, line: OrderLine, *, already: int, quantity: int, currency: str) -> Decimal:
    """The refund for `quantity` more units of a line of which `already` units are claimed: cumulative rounding,
    so returning every unit, in any number of requests, gives back exactly the line's share."""

    def upto(units: int) -> Decimal:
        return quantize(share * units / line.quantity, currency)

    return upto(already + quantity) - upto(already)


# ---------- the buyer asks ----------


def _clean_quantities(order: Order, order_lines: dict[int, OrderLine], wanted: dict, now: datetime) -> dict[int, int]:
    if not isinstance(wanted, dict) or not wanted:
        raise ValidationFailed(gettext("Choose what to return."), field="lines")
    out: dict[int, int] = {}
    for raw_id, raw_qty in wanted.items():
        try:
            line_id, quantity = int(raw_id), int(raw_qty)
        except (TypeError, ValueError) as exc:
            raise ValidationFailed(gettext("Quantities must be whole numbers."), field="lines") from exc
        line = order_lines.get(line_id)
        if line is None:
            raise ValidationFailed(gettext("Line %(id)s is not in this order.") % {"id": raw_id}, field="lines")
        if quantity < 0:
            raise ValidationFailed(gettext("Quantities cannot be negative."), field=f"lines.{line_id}")
        if quantity == 0:
            continue
        closes = window_closes(order, line)
        if closes is None or now > closes:
            raise Conflict(
                gettext("The return window for %(item)s has closed.") % {"item": line.product_title},
                code="return_window_closed",
                field=f"lines.{line_id}",
            )
        if quantity > line.quantity - line.quantity_returned:
            raise Conflict(
                gettext("You can return at most %(n)s of %(item)s.")
                % {"n": line.quantity - line.quantity_returned, "item": line.product_title},
                code="too_many",
                field=f"lines.{line_id}",
            )
        out[line_id] = quantity
    if not out:
        raise ValidationFailed(gettext("Choose at least one item to return."), field="lines")
    return out


def _give_back_units(request: ReturnRequest) -> None:
    for item in request.lines.all():
        orders.record_returned(item.order_line_id, -item.quantity)


@transaction.atomic
def request_return(
    *, actor: User, order: Order, lines: dict[int, int], kind: str = ReturnRequest.Kind.RETURN, reason: str = ""
) -> ReturnRequest:
    """The buyer asks to return `lines` ({order line id: units}) of a delivered order, within the return window."""
    _buyer_order(actor, order)
    if kind not in ReturnRequest.Kind.values:
        raise ValidationFailed(gettext("Choose a return or a refund only."), field="kind")
    reason = " ".join((reason or "").split())
    if len(reason) > MAX_REASON:
        raise ValidationFailed(gettext("At most %(n)s characters.") % {"n": MAX_REASON}, field="reason")
    order = Order.objects.select_for_update().get(pk=order.pk)  # serialises requests and decisions on one order
    if order.held_in_escrow:
        raise Conflict(
            gettext("This order's money is held in escrow: open a dispute on it instead of a return."),
            code="not_returnable",
            field="state",
        )
    if order.state != Order.State.DELIVERED:
        raise Conflict(
            gettext("You can ask for a return once the order has been delivered, until its return window closes."),
            code="not_returnable",
            field="state",
        )
    all_lines = list(order.lines.all())
    order_lines = {line.pk: line for line in all_lines}
    now = clock.now()
    quantities = _clean_quantities(order, order_lines, lines, now)
    shares = paid_shares(order, all_lines)
    amounts = {
        line_id: refund_for(
            shares[line_id],
            order_lines[line_id],
            already=order_lines[line_id].quantity_returned,
            quantity=q,
            currency=order.currency,
        )
        for line_id, q in quantities.items()
    }
    for line_id, quantity in sorted(quantities.items()):
        orders.record_returned(line_id, quantity)  # guarded: two requests at once never claim more than bought
    request = ReturnRequest.objects.create(
        order=order,
        buyer=actor,
        kind=kind,
        reason=reason,
        refund_amount=sum(amounts.values(), Decimal(0)),
        currency=order.currency,
        created_at=now,
    )
    ReturnLine.objects.bulk_create(
        ReturnLine(request=request, order_line_id=line_id, quantity=q, amount=amounts[line_id])
        for line_id, q in quantities.items()
    )
    states.record(request, new=request.state, actor=actor, reason=reason or gettext("no reason given"))
    return request


@transaction.atomic
def withdraw(*, actor: User, return_id: int) -> ReturnRequest:
    """The buyer changes their mind before the seller decided."""
    request = ReturnRequest.objects.select_for_update().filter(pk=return_id, buyer_id=getattr(actor, "pk", None))
    request = request.first()
    if request is None:
        raise NotFound(gettext("Return not found."))
    states.transition(request, State.CANCELLED, actor=actor, reason=gettext("withdrawn by the buyer"))
    _give_back_units(request)
    return request


# ---------- the seller decides ----------


def _decide(request: ReturnRequest, to: str, *, actor: User, note: str) -> None:
    request.decided_at = clock.now()
    request.decided_by = actor
    request.decision_note = note
    request.save(update_fields=["decided_at", "decided_by", "decision_note"])
    states.transition(request, to, actor=actor, reason=note)


def _note(value: str | None, *, required: bool) -> str:
    note = " ".join((value or "").split())
    if required and not note:
        raise ValidationFailed(gettext("Tell the buyer why."), field="reason")
    if len(note) > MAX_REASON:
        raise ValidationFailed(gettext("At most %(n)s characters.") % {"n": MAX_REASON}, field="reason")
    return note


def _locked(actor: User, return_id: int) -> tuple[ReturnRequest, Order]:
    found = seller_return(actor=actor, return_id=return_id)
    order = Order.objects.select_for_update(of=("self",)).select_related("payment", "seller").get(pk=found.order_id)
    request = ReturnRequest.objects.select_for_update().get(pk=found.pk)
    request.order = order
    if request.state != State.REQUESTED:
        raise Conflict(
            gettext("This return was already decided (%(state)s).") % {"state": State(request.state).label},
            code="illegal_transition",
            field="state",
        )
    return request, order


def _restock(request: ReturnRequest, actor: User) -> None:
    for item in request.lines.select_related("order_line__variant"):
        inventory.restock(
            variant=item.order_line.variant,
            quantity=item.quantity,
            ref=f"return:{request.pk}:line:{item.order_line_id}",
            actor=actor,
            source_ref=line_ref(item.order_line_id),
            note=gettext("return %(id)s on order %(number)s") % {"id": request.pk, "number": request.order.number},
        )


def _refund(request: ReturnRequest, order: Order, actor: User) -> Refund | None:
    """Money back to the buyer through orders' refund recipe. A refusal rolls the whole approval back."""
    if request.refund_amount <= 0:
        return None
    return orders.refund(
        order=order,
        amount=Money(request.refund_amount, request.currency),
        ref=f"return:{request.pk}",
        reason=gettext("return approved"),
        actor=actor,
    )


def _mark_refunded(request: ReturnRequest) -> None:
    if request.state != State.APPROVED:
        return
    states.transition(request, State.REFUNDED, reason=gettext("refund paid"))
    signals.return_refunded.send(sender=ReturnRequest, return_request=request)


@transaction.atomic
def approve(*, actor: User, return_id: int, note: str = "") -> ReturnRequest:
    """Accept a return: goods back in stock (for a return), money back to the buyer, the order's refunded total up."""
    request, order = _locked(actor, return_id)
    _decide(request, State.APPROVED, actor=actor, note=_note(note, required=False))
    if request.kind == ReturnRequest.Kind.RETURN:
        _restock(request, actor)
    refund = _refund(request, order, actor)
    request.refresh_from_db(fields=["state"])  # a provider that answers at once has already marked it refunded
    if refund is None or refund.state == Refund.State.SUCCEEDED:
        _mark_refunded(request)
    return request


@transaction.atomic
def reject(*, actor: User, return_id: int, reason: str) -> ReturnRequest:
    """Refuse a return, saying why; the units may be asked for again while the window is open. No money moves."""
    note = _note(reason, required=True)
    request, _order = _locked(actor, return_id)
    _decide(request, State.REJECTED, actor=actor, note=note)
    _give_back_units(request)
    signals.return_rejected.send(sender=ReturnRequest, return_request=request)
    return request


OPEN_STATES = (State.REQUESTED, State.APPROVED)  # a return still to be decided or paid holds its order open


def without_open_returns(orders_qs):
    """orders' completion blocker (registered in AppConfig.ready): a delivered order with an open return waits."""
    return orders_qs.exclude(returns__state__in=OPEN_STATES)


def on_refund_succeeded(sender, *, refund: Refund, **kwargs) -> None:
    """A provider confirmed a refund (at once or by webhook): the return it pays becomes "refunded"."""
    parts = refund.ref.split(":")  # order:<id>:return:<id> (return:<id> for refunds made before orders.refund)
    if len(parts) < 2 or parts[-2] != "return" or not parts[-1].isdigit():
        return
    pk = parts[-1]
    request = ReturnRequest.objects.select_for_update().filter(pk=int(pk)).first()
    if request is not None:
        _mark_refunded(request)
