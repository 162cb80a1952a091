"""Builders for consumer-request tests: a housekeeping category, businesses with a place in it and a service,
a consumer's request near Xinjiekou, answers to it."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from tests import factories
from tests.o2o.local import XINJIEKOU, local_business, place
from tradeloop.catalog.models import Category
from tradeloop.core import clock
from tradeloop.o2o import local_requests
from tradeloop.o2o.models import ConsumerRequest, RequestAnswer


def housekeeping() -> Category:
    root, _ = Category.objects.get_or_create(slug="housekeeping", defaults={"name": "Housekeeping", "name_zh": "家政"})
    return root


def deep_cleaning() -> Category:
    child, _ = Category.objects.get_or_create(
        slug="deep-cleaning", defaults={"name": "Deep cleaning", "name_zh": "深度保洁", "parent": housekeeping()}
    )
    return child


def cleaner(name: str = "Sparkle Home", *, at=XINJIEKOU, category: Category | None = None, price: str = "300.00"):
    """A local business with one place at `at` serving `category` (housekeeping) and one published service."""
    business = local_business(name)
    spot = place(business, at=at, name=f"{name} Xuanwu", name_zh=f"{name}玄武店")
    spot.categories.add(category or housekeeping())
    service = factories.published_product(
        seller=business, title="Home cleaning", price=price, stock=1000, kind="service"
    )
    business.place, business.service = spot, service
    return business


def request_for(consumer, *, at=XINJIEKOU, radius_km: int = 5, category: Category | None = None, **fields):
    fields.setdefault("title", "Deep clean of a 90 m² flat on Saturday")
    fields.setdefault("details", "Two bedrooms, kitchen and balcony.")
    fields.setdefault("wanted_at", clock.now() + timedelta(days=3))
    fields.setdefault("city", "Nanjing")
    fields.setdefault("district", "Xuanwu")
    fields.setdefault("budget", Decimal("350.00"))
    return local_requests.post_request(
        actor=consumer,
        category_id=(category or deep_cleaning()).pk,
        latitude=at[0],
        longitude=at[1],
        radius_km=radius_km,
        **fields,
    )


def answer_from(business, request: ConsumerRequest, price: str = "320.00", message: str = "Two cleaners, 4 hours"):
    return local_requests.answer(
        actor=business.owner,
        request_id=request.pk,
        seller=business,
        place_id=business.place.pk,
        service_id=business.service.pk,
        price=price,
        message=message,
        proposed_at=request.wanted_at,
    )


def accept(consumer, answer: RequestAnswer):
    answer.negotiation.refresh_from_db()
    return local_requests.accept(actor=consumer, answer_id=answer.pk, version=answer.negotiation.current_version)
