"""Redemption in the shop: staff type or scan a voucher's code, see what it is for, confirm; undo a mistake.

    preview     what the code is for (deal, the buyer's first name, valid until, valid at this place?) without
                changing anything
    redeem      exactly once (a guarded UPDATE … WHERE state = 'valid'), only inside the voucher's validity and at
                a place where its deal is valid; the voucher's price leaves escrow for the merchant minus
                commission (`ledger.release_part`, ref `voucher:<id>:<n>`: the n-th redemption, so that a voucher
                redeemed again after an undo is released again)
    undo        within TRADELOOP_O2O_UNDO_MINUTES: valid again, the release reversed (`ledger.reverse_release`), and a
                review written for it leaves the place and its rating (`reviews.record_revoked`); redeemed again,
                that review comes back about the new visit (`reviews.record_restored`: one review per voucher)

Staff need the capability orders.fulfil in the place's organization. A code that is unknown, or belongs to another
merchant's deal, is "not found" alike and recorded as a FailedRedemption; after TRADELOOP_O2O_WRONG_CODES of them
by one staff account at one place within TRADELOOP_O2O_WRONG_CODES_MINUTES, attempts there are refused (429)
until the window has passed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext

from tradeloop.accounts.models import User
from tradeloop.accounts.selectors import require
from tradeloop.core import clock, states
from tradeloop.core.errors import Conflict, DomainError, NotAuthenticated, NotFound
from tradeloop.core.money import Money
from tradeloop.ledger import services as ledger
from tradeloop.o2o import vouchers
from tradeloop.o2o.errors import Code
from tradeloop.o2o.models import FailedRedemption, Place, Voucher
from tradeloop.reviews import services as reviews

State = Voucher.State
CAPABILITY = "orders.fulfil"


class TooManyWrongCodes(DomainError):
    status = 429
    code = Code.TOO_MANY_WRONG_CODES


def undo_window() -> timedelta:
    return timedelta(minutes=settings.TRADELOOP_O2O_UNDO_MINUTES)


def _wrong_code_window() -> timedelta:
    return timedelta(minutes=settings.TRADELOOP_O2O_WRONG_CODES_MINUTES)


def staff_place(actor: User, place_id: int) -> Place:
    """A place of an organization where the actor may redeem; another's place answers 404."""
    if not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated(gettext("sign in first"))
    place = Place.objects.select_related("seller").filter(pk=place_id).first()
    if place is None:
        raise NotFound(gettext("place not found"), field="place_id")
    require(actor, place.seller_id, CAPABILITY)
    return place


def _check_throttle(actor: User, place: Place, now: datetime) -> None:
    recent = FailedRedemption.objects.filter(user=actor, place=place, created_at__gt=now - _wrong_code_window())
    if recent.count() >= settings.TRADELOOP_O2O_WRONG_CODES:
        raise TooManyWrongCodes(
            gettext("Too many wrong codes here: try again in %(minutes)s minutes.")
            % {"minutes": settings.TRADELOOP_O2O_WRONG_CODES_MINUTES},
            field="code",
        )


def _not_found(actor: User, place: Place, now: datetime) -> NotFound:
    # recorded outside the caller's transaction: the refusal must not roll the count back
    FailedRedemption.objects.create(user=actor, place=place, created_at=now)
    return NotFound(gettext("No voucher has this code. Check it and try again."), field="code")


def _find(actor: User, place: Place, code: str, now: datetime) -> Voucher:
    """The seller's voucher of this code; any other (unknown, another merchant's) is a wrong code."""
    _check_throttle(actor, place, now)
    voucher = (
        Voucher.objects.select_related("deal__product", "buyer")
        .filter(code=vouchers.normalized(code), deal__product__seller_id=place.seller_id)
        .first()
    )
    if voucher is None:
        raise _not_found(actor, place, now)
    return voucher


def valid_here(voucher: Voucher, place: Place) -> bool:
    return voucher.deal.places.filter(pk=place.pk).exists()


@dataclass(frozen=True)
class Preview:
    voucher: Voucher
    place: Place
    valid_here: bool
    problem: str  # why it cannot be redeemed now ("" when it can)
    problem_code: str

    @property
    def redeemable(self) -> bool:
        return not self.problem

    @property
    def buyer_first_name(self) -> str:
        return first_name(self.voucher.buyer)


def first_name(user: User) -> str:
    name = (getattr(user, "display_name", "") or "").strip()
    return name.split()[0] if name else gettext("the buyer")


def _problem(voucher: Voucher, place: Place, now: datetime) -> tuple[str, str]:
    if voucher.state == State.REDEEMED:
        when = voucher.redeemed_at.strftime("%Y-%m-%d %H:%M") if voucher.redeemed_at else ""
        return gettext("Already used (%(when)s).") % {"when": when}, Code.VOUCHER_USED
    if voucher.state == State.PENDING:
        return gettext("The deal has not tipped yet: not usable."), Code.VOUCHER_NOT_REDEEMABLE
    if voucher.state in (State.REFUNDED, State.EXPIRED) or voucher.valid_until <= now:
        return gettext("This voucher is refunded or expired."), Code.VOUCHER_NOT_REDEEMABLE
    if not valid_here(voucher, place):
        return gettext("This voucher is not valid at this place."), Code.NOT_VALID_HERE
    return "", ""


def preview(*, actor: User, place_id: int, code: str) -> Preview:
    """What the code is for, before confirming. Changes nothing but the count of wrong codes."""
    place = staff_place(actor, place_id)
    now = clock.now()
    voucher = _find(actor, place, code, now)
    problem, problem_code = _problem(voucher, place, now)
    return Preview(voucher, place, valid_here(voucher, place), problem, problem_code)


def _redemption_number(voucher: Voucher) -> int:
    """The next free release ref of the voucher: 1, then 2 after an undo, …"""
    n = 1
    while ledger.transaction_for(f"order:{voucher.order_id}:release:{release_ref(voucher, n)}") is not None:
        n += 1
    return n


def release_ref(voucher: Voucher, n: int) -> str:
    return f"voucher:{voucher.pk}:{n}"


def redeem(*, actor: User, place_id: int, code: str) -> Voucher:
    """Redeem the voucher of `code` at the place; the merchant is paid its price minus commission."""
    place = staff_place(actor, place_id)
    now = clock.now()
    voucher = _find(actor, place, code, now)
    problem, problem_code = _problem(voucher, place, now)
    if problem:
        raise Conflict(problem, code=problem_code, field="code")
    with transaction.atomic():
        from tradeloop.orders.models import Order

        order = Order.objects.select_for_update().get(pk=voucher.order_id)
        taken = Voucher.objects.filter(pk=voucher.pk, state=State.VALID, valid_until__gt=now).update(
            state=State.REDEEMED, redeemed_at=now, redeemed_by=actor, redeemed_place=place
        )
        if not taken:  # someone else redeemed it in between
            raise Conflict(gettext("Already used."), code=Code.VOUCHER_USED, field="code")
        voucher.refresh_from_db()
        states.record(voucher, old=State.VALID, new=State.REDEEMED, actor=actor, reason=f"redeemed at {place.pk}")
        if voucher.price > 0:
            ledger.release_part(
                order=order,
                amount=Money(voucher.price, voucher.currency),
                ref=release_ref(voucher, _redemption_number(voucher)),
            )
        reviews.record_restored(record_kind="voucher", record_id=voucher.pk, actor=actor)
    return voucher


@transaction.atomic
def undo(*, actor: User, voucher_id: int) -> Voucher:
    """A mistaken redemption taken back within the undo window: valid again, the merchant's share back in escrow."""
    if not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated(gettext("sign in first"))
    found = Voucher.objects.filter(pk=voucher_id).values_list("order_id", "deal__product__seller_id").first()
    if found is None:
        raise NotFound(gettext("voucher not found"), field="voucher")
    require(actor, found[1], CAPABILITY)
    from tradeloop.orders.models import Order

    Order.objects.select_for_update().filter(pk=found[0]).values_list("pk", flat=True).first()
    order = Order.objects.get(pk=found[0])
    voucher = Voucher.objects.select_for_update(of=("self",)).get(pk=voucher_id)
    if voucher.state != State.REDEEMED:
        raise Conflict(gettext("This voucher is not redeemed."), code=Code.NOT_REDEEMED)
    if voucher.redeemed_at + undo_window() < clock.now():
        raise Conflict(
            gettext("A redemption can be undone within %(minutes)s minutes only.")
            % {"minutes": settings.TRADELOOP_O2O_UNDO_MINUTES},
            code=Code.UNDO_WINDOW_OVER,
        )
    if voucher.price > 0:
        ledger.reverse_release(order=order, ref=release_ref(voucher, _redemption_number(voucher) - 1))
    voucher.redeemed_at = None
    voucher.redeemed_by = None
    voucher.redeemed_place = None
    states.transition(voucher, State.VALID, actor=actor, reason=gettext("redemption undone"))
    reviews.record_revoked(record_kind="voucher", record_id=voucher.pk, actor=actor)
    return voucher


def undoable(voucher: Voucher, now: datetime | None = None) -> bool:
    now = now or clock.now()
    return (
        voucher.state == State.REDEEMED
        and voucher.redeemed_at is not None
        and voucher.redeemed_at + undo_window() >= now
    )
