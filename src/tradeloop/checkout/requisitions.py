"""Requisition lists: a buyer's order lines saved under a name (from quick order), opened again with today's prices
and availability, put into the cart in one go, renamed or deleted. A buyer sees only their own lists (another's
answers 404)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count, QuerySet
from django.utils.translation import gettext

from tradeloop.accounts.models import User
from tradeloop.checkout import cart as carts
from tradeloop.checkout import quick_order
from tradeloop.checkout.addresses import require_signed_in
from tradeloop.checkout.errors import Code
from tradeloop.checkout.models import RequisitionLine, RequisitionList
from tradeloop.core import clock
from tradeloop.core.errors import Conflict, NotFound, ValidationFailed

MAX_LISTS = 50
MAX_NAME = 80


@dataclass(frozen=True)
class LineIn:
    variant_id: int
    quantity: int


def lists(actor: User) -> QuerySet[RequisitionList]:
    """The buyer's lists, newest change first, with their number of lines: one query."""
    require_signed_in(actor)
    return RequisitionList.objects.filter(user=actor).annotate(line_count=Count("lines")).order_by("-updated_at", "-id")


def own_list(actor: User, list_id) -> RequisitionList:
    require_signed_in(actor)
    found = RequisitionList.objects.filter(pk=list_id if str(list_id).isdigit() else None, user=actor).first()
    if found is None:
        raise NotFound(gettext("Requisition list not found."), field="requisition_list")
    return found


def opened(actor: User, list_id) -> tuple[RequisitionList, quick_order.Resolution]:
    """A list with each line resolved as quick order resolves it now (price, stock, errors): fixed queries."""
    found = own_list(actor, list_id)
    lines = list(found.lines.select_related("variant").order_by("position", "id"))
    rows = quick_order.rows_of([(line.variant.sku, line.quantity) for line in lines])
    # By variant, not SKU: a SKU several stores use stays the saved store's variant.
    return found, quick_order.resolve_variants(actor=actor, rows=rows, variant_ids=[line.variant_id for line in lines])


def _name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationFailed(gettext("Give the list a name."), field="name")
    if len(name) > MAX_NAME:
        raise ValidationFailed(gettext("At most %(n)s characters.") % {"n": MAX_NAME}, field="name")
    return name


def _lines(lines: list[LineIn]) -> list[LineIn]:
    if not lines:
        raise ValidationFailed(gettext("The list has no valid lines to save."), field="lines")
    if len(lines) > quick_order.MAX_LINES:
        raise ValidationFailed(gettext("At most %(n)s lines at once.") % {"n": quick_order.MAX_LINES}, field="lines")
    merged: dict[int, int] = {}
    for line in lines:
        quantity = int(line.quantity)
        if not 1 <= quantity <= carts.MAX_QUANTITY:
            raise ValidationFailed(
                gettext("Choose a quantity from 1 to %(max)s.") % {"max": carts.MAX_QUANTITY}, field="lines"
            )
        merged[int(line.variant_id)] = merged.get(int(line.variant_id), 0) + quantity
    known = set(carts.buyable(list(merged)).values_list("pk", flat=True))
    missing = [v for v in merged if v not in known]
    if missing:
        raise NotFound(gettext("That item is not for sale."), field="lines")
    return [LineIn(v, q) for v, q in merged.items()]


def _write_lines(found: RequisitionList, lines: list[LineIn]) -> None:
    found.lines.all().delete()
    RequisitionLine.objects.bulk_create(
        RequisitionLine(requisition=found, variant_id=line.variant_id, quantity=line.quantity, position=i)
        for i, line in enumerate(lines)
    )


@transaction.atomic
def save_list(*, actor: User, name: str, lines: list[LineIn], list_id: int | None = None) -> RequisitionList:
    """Create a list (or, with list_id, rename it and replace its lines). Names are unique per buyer."""
    require_signed_in(actor)
    name, lines = _name(name), _lines(lines)
    now = clock.now()
    if list_id is None:
        if RequisitionList.objects.filter(user=actor).count() >= MAX_LISTS:
            raise Conflict(gettext("You have %(n)s lists; delete one first.") % {"n": MAX_LISTS}, field="name")
        found = RequisitionList(user=actor, name=name, created_at=now, updated_at=now)
    else:
        found = own_list(actor, list_id)
        found.name, found.updated_at = name, now
    try:
        with transaction.atomic():
            found.save()
    except IntegrityError as exc:
        raise Conflict(gettext("You already have a list called %(name)s.") % {"name": name}, field="name") from exc
    _write_lines(found, lines)
    return found


@transaction.atomic
def delete_list(*, actor: User, list_id: int) -> None:
    own_list(actor, list_id).delete()


@transaction.atomic
def add_to_cart(*, actor: User, list_id: int) -> tuple[list, list[quick_order.Resolved]]:
    """Every line of the list that can be ordered now goes into the cart (all at once); returns the cart lines
    and the lines left out (with their error)."""
    found, resolution = opened(actor, list_id)
    valid = resolution.valid
    if not valid:
        raise Conflict(
            gettext("None of the lines of %(name)s can be ordered now.") % {"name": found.name},
            field="requisition_list",
            code=Code.NOTHING_TO_ADD,
        )
    items = carts.add_items(
        owner=carts.CartOwner(user=actor),
        lines=[carts.AddLine(line.variant.pk, line.quantity) for line in valid],
    )
    RequisitionList.objects.filter(pk=found.pk).update(updated_at=clock.now())
    return items, resolution.invalid
