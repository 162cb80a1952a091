"""Services and staff: a local business (capability catalog.manage) sets up what can be booked.

A service is a catalog product of kind `service` (title and description in both languages, the price on its one
SKU) with the booking terms beside it (o2o.Service). Staff members work at one place, perform some of the
services, have working hours per weekday and days off. Bad input raises ValidationFailed naming the field and
changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext

from tradeloop.accounts.models import Organization, User
from tradeloop.accounts.selectors import require
from tradeloop.catalog import services as catalog
from tradeloop.catalog.models import Product
from tradeloop.core.errors import NotFound, ValidationFailed
from tradeloop.o2o.models import DayOff, Place, Service, StaffMember, WorkingHours

CAPABILITY = "catalog.manage"
SERVICE_STOCK = 1_000_000  # a service is not out of stock: the slot is what is scarce (deposit orders reserve one)
MAX_DURATION = 24 * 60


@dataclass
class ServiceData:
    title: str = ""
    title_zh: str = ""
    description: str = ""
    description_zh: str = ""
    price: Decimal | str = "0"
    duration_minutes: int = 60
    deposit: Decimal | str | None = None
    instant_confirm: bool = True
    free_cancel_hours: int = 24
    cancel_fee: Decimal | str = "0"
    place_ids: list[int] = field(default_factory=list)
    is_active: bool = True


@dataclass
class StaffData:
    place_id: int
    name: str = ""
    name_zh: str = ""
    title: str = ""
    title_zh: str = ""
    service_ids: list[int] = field(default_factory=list)
    is_active: bool = True


def _amount(value, name: str, *, optional: bool = False) -> Decimal | None:
    if optional and value in (None, ""):
        return None
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationFailed(gettext("Give an amount like 39.00."), field=name) from exc
    if not amount.is_finite() or amount < 0:
        raise ValidationFailed(gettext("An amount cannot be negative."), field=name)
    return amount.quantize(Decimal("0.01"))


def _whole(value, name: str, low: int, high: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError) as exc:
        raise ValidationFailed(gettext("Give a whole number."), field=name) from exc
    if not low <= number <= high:
        raise ValidationFailed(
            gettext("Give a number from %(low)s to %(high)s.") % {"low": low, "high": high}, field=name
        )
    return number


def _own_places(org: Organization, place_ids: list[int], name: str = "place_ids") -> list[Place]:
    places = list(Place.objects.filter(seller=org, pk__in=place_ids))
    if len(places) != len(set(place_ids)):
        raise ValidationFailed(gettext("Pick places of your own business."), field=name)
    return places


def _checked_terms(data: ServiceData) -> dict:
    price = _amount(data.price, "price")
    deposit = _amount(data.deposit, "deposit", optional=True)
    if deposit is not None and deposit == 0:
        deposit = None
    if deposit is not None and deposit > price:
        raise ValidationFailed(gettext("The deposit cannot be more than the price."), field="deposit")
    fee = _amount(data.cancel_fee, "cancel_fee")
    if fee > (deposit or Decimal("0")):
        raise ValidationFailed(
            gettext("The late cancellation fee is kept from the deposit: it cannot be more than the deposit."),
            field="cancel_fee",
        )
    if not data.place_ids:
        raise ValidationFailed(gettext("Pick at least one place."), field="place_ids")
    return {
        "price": price,
        "duration_minutes": _whole(data.duration_minutes, "duration_minutes", 5, MAX_DURATION),
        "deposit": deposit,
        "instant_confirm": bool(data.instant_confirm),
        "free_cancel_hours": _whole(data.free_cancel_hours, "free_cancel_hours", 0, 24 * 30),
        "cancel_fee": fee,
        "is_active": bool(data.is_active),
    }


def seller_service(actor: User, org: Organization, service_id: int) -> Service:
    require(actor, org, CAPABILITY)
    found = Service.objects.select_related("product").filter(pk=service_id, product__seller=org).first()
    if found is None:
        raise NotFound(gettext("Service not found."), field="service")
    return found


def seller_staff(actor: User, org: Organization, staff_id: int) -> StaffMember:
    require(actor, org, CAPABILITY)
    found = StaffMember.objects.select_related("place").filter(pk=staff_id, place__seller=org).first()
    if found is None:
        raise NotFound(gettext("Staff member not found."), field="staff")
    return found


@transaction.atomic
def save_service(*, actor: User, org: Organization, data: ServiceData, service_id: int | None = None) -> Service:
    """Create a service (a published catalog product of kind service) or change one."""
    require(actor, org, CAPABILITY)
    terms = _checked_terms(data)
    places = _own_places(org, data.place_ids)
    texts = {
        "title": data.title,
        "title_zh": data.title_zh,
        "description": data.description,
        "description_zh": data.description_zh,
    }
    price = terms.pop("price")
    if service_id is None:
        product = catalog.create_product(
            actor=actor,
            seller=org,
            kind=Product.Kind.SERVICE,
            variants=[catalog.VariantInput(sku="SERVICE", price=price, stock=SERVICE_STOCK)],
            **texts,
        )
        catalog.publish(actor=actor, product=product)
        service = Service.objects.create(product=product, **terms)
    else:
        service = seller_service(actor, org, service_id)
        catalog.update_product(actor=actor, product=service.product, **texts)
        variant = service.product.variants.order_by("position", "id").first()
        catalog.save_variant(
            actor=actor,
            product=service.product,
            data=catalog.VariantInput(sku=variant.sku, price=price, stock=None),
            variant_id=variant.pk,
        )
        for name, value in terms.items():
            setattr(service, name, value)
        service.save()
    service.places.set(places)
    return service


@transaction.atomic
def save_staff(*, actor: User, org: Organization, data: StaffData, staff_id: int | None = None) -> StaffMember:
    require(actor, org, CAPABILITY)
    place = _own_places(org, [data.place_id], "place_id")[0]
    names = {
        "name": (data.name or "").strip()[:120],
        "name_zh": (data.name_zh or "").strip()[:120],
        "title": (data.title or "").strip()[:120],
        "title_zh": (data.title_zh or "").strip()[:120],
    }
    if not (names["name"] or names["name_zh"]):
        raise ValidationFailed(gettext("Give a name in English or in Chinese."), field="name")
    services = list(Service.objects.filter(product__seller=org, pk__in=data.service_ids))
    if len(services) != len(set(data.service_ids)):
        raise ValidationFailed(gettext("Pick services of your own business."), field="service_ids")
    if staff_id is None:
        person = StaffMember.objects.create(place=place, is_active=bool(data.is_active), **names)
    else:
        person = seller_staff(actor, org, staff_id)
        for name, value in {**names, "place": place, "is_active": bool(data.is_active)}.items():
            setattr(person, name, value)
        person.save()
    person.services.set(services)
    return person


def _span(weekday, starts, ends, index: int) -> WorkingHours:
    where = f"hours.{index}"
    day = _whole(weekday, f"{where}.weekday", 0, 6)
    try:
        begin = starts if isinstance(starts, time) else time.fromisoformat(str(starts))
        end = ends if isinstance(ends, time) else time.fromisoformat(str(ends))
    except ValueError as exc:
        raise ValidationFailed(gettext("Give times like 09:00."), field=where) from exc
    if end <= begin:
        raise ValidationFailed(gettext("A working span must end after it starts."), field=where)
    return WorkingHours(weekday=day, starts=begin, ends=end)


@transaction.atomic
def set_hours(*, actor: User, org: Organization, staff_id: int, hours: list[tuple]) -> list[WorkingHours]:
    """Replace the staff member's working hours: [(weekday 0=Monday, "09:00", "18:00"), …]; spans may not overlap."""
    person = seller_staff(actor, org, staff_id)
    spans = [_span(*span, index=i) for i, span in enumerate(hours)]
    by_day = sorted(spans, key=lambda s: (s.weekday, s.starts))
    for before, after in zip(by_day, by_day[1:], strict=False):
        if before.weekday == after.weekday and after.starts < before.ends:
            raise ValidationFailed(gettext("Working spans on one day may not overlap."), field="hours")
    WorkingHours.objects.filter(staff=person).delete()
    for span in spans:
        span.staff = person
    return WorkingHours.objects.bulk_create(spans)


@transaction.atomic
def add_day_off(*, actor: User, org: Organization, staff_id: int, day: date, reason: str = "") -> DayOff:
    person = seller_staff(actor, org, staff_id)
    if not isinstance(day, date):
        try:
            day = date.fromisoformat(str(day))
        except ValueError as exc:
            raise ValidationFailed(gettext("Give a day like 2026-12-24."), field="day") from exc
    found, _created = DayOff.objects.get_or_create(staff=person, day=day, defaults={"reason": reason.strip()[:120]})
    return found


@transaction.atomic
def remove_day_off(*, actor: User, org: Organization, day_off_id: int) -> None:
    require(actor, org, CAPABILITY)
    deleted, _ = DayOff.objects.filter(pk=day_off_id, staff__place__seller=org).delete()
    if not deleted:
        raise NotFound(gettext("Day off not found."), field="day_off")
