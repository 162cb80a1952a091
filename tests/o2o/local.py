"""Builders for O2O tests: a local business with a place in Nanjing, a live deal, a bookable service with staff.

Rows are written directly (the feature services have their own tests); each feature may add builders of its own
in its test module or next to these, in its own block.
"""

from __future__ import annotations

from datetime import time, timedelta
from decimal import Decimal

from tests import factories
from tradeloop.core import clock
from tradeloop.o2o import geo
from tradeloop.o2o.models import Deal, Place, Service, StaffMember, WorkingHours

XINJIEKOU = (32.0416, 118.7784)  # the centre of Nanjing


def local_business(name: str | None = None):
    return factories.seller_with_owner(kind="local_business", name=name)


def place(seller=None, *, at: tuple[float, float] = XINJIEKOU, **fields) -> Place:
    seller = seller or local_business()
    fields.setdefault("name", "Lotus Hair Studio")
    fields.setdefault("name_zh", "莲花美发")
    fields.setdefault("address", "18 Zhongshan Road")
    fields.setdefault("address_zh", "中山路18号")
    fields.setdefault("city", "Nanjing")
    fields.setdefault("city_zh", "南京")
    fields.setdefault("district", "Xuanwu")
    fields.setdefault("district_zh", "玄武区")
    fields.setdefault("time_zone", "Asia/Shanghai")
    fields.setdefault("opening_hours", {day: [["09:00", "21:00"]] for day in geo_days()})
    latitude, longitude = at
    return Place.objects.create(
        seller=seller, latitude=latitude, longitude=longitude, geo_cell=geo.cell_of(latitude, longitude), **fields
    )


def geo_days() -> list[str]:
    return ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def deal(at: Place | None = None, *, price: str = "39.00", original: str = "68.00", **fields) -> Deal:
    """A live deal on sale from an hour ago for a week, valid at `at` (a new place of a new business if None)."""
    at = at or place()
    title = fields.pop("title", "Haircut and wash")
    product = factories.published_product(seller=at.seller, title=title, price=price, stock=10_000, kind="deal")
    product.variants.update(compare_at_price=Decimal(original))
    product.__class__.objects.filter(pk=product.pk).update(compare_at_from=Decimal(original))
    now = clock.now()
    fields.setdefault("state", Deal.State.LIVE)
    fields.setdefault("sale_starts_at", now - timedelta(hours=1))
    fields.setdefault("sale_ends_at", now + timedelta(days=7))
    item = Deal.objects.create(product=product, **fields)
    item.places.add(at)
    return item


def service(at: Place | None = None, *, price: str = "120.00", minutes: int = 60, **fields) -> Service:
    """A bookable service at `at`, with one stylist who works 09:00–18:00 every day."""
    at = at or place()
    title = fields.pop("title", "Cut and blow-dry")
    product = factories.published_product(seller=at.seller, title=title, price=price, stock=10_000, kind="service")
    item = Service.objects.create(product=product, duration_minutes=minutes, **fields)
    item.places.add(at)
    stylist(at, item)
    return item


def stylist(at: Place, *services: Service, name: str = "Lin", hours: tuple[str, str] = ("09:00", "18:00")):
    person = StaffMember.objects.create(
        place=at, name=name, name_zh="林", title="Senior stylist", title_zh="资深发型师"
    )
    person.services.set(services)
    starts, ends = (time.fromisoformat(t) for t in hours)
    WorkingHours.objects.bulk_create(
        WorkingHours(staff=person, weekday=day, starts=starts, ends=ends) for day in range(7)
    )
    return person
