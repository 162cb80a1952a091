"""Reads of deals: the public list (by place or city) and one deal, a place's live deals, the seller's deals with
their progress, and where the storefront sends a deal's or a service's product page. Fixed query counts."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext

from tradeloop.accounts.models import User
from tradeloop.accounts.selectors import require
from tradeloop.catalog.models import Product, ProductImage, Variant
from tradeloop.core import clock
from tradeloop.core.errors import NotFound
from tradeloop.core.pagination import Page, keyset_page
from tradeloop.o2o.models import Deal, Place, Voucher

ORDER = ("sale_ends_at", "id")
State = Deal.State


def _base() -> QuerySet[Deal]:
    return Deal.objects.select_related("product__seller").prefetch_related(
        Prefetch("product__variants", Variant.objects.order_by("position", "id")),
        Prefetch("product__images", ProductImage.objects.order_by("position", "id")),
        Prefetch("places", Place.objects.filter(is_active=True).order_by("id")),
    )


def _on_sale(qs: QuerySet[Deal]) -> QuerySet[Deal]:
    now = clock.now()
    return qs.filter(
        state=State.LIVE, sale_starts_at__lte=now, sale_ends_at__gt=now, product__status=Product.Status.PUBLISHED
    )


def public_deals(*, place_id: int | None = None, city: str = "", cursor: str | None = None, limit: int = 24) -> Page:
    """Deals on sale, ending soonest first; 4 queries a page (deals, variants, images, places)."""
    qs = _on_sale(_base())
    where = Q()
    if place_id:
        where &= Q(places__pk=place_id)
    if city:
        where &= Q(places__city__iexact=city) | Q(places__city_zh=city)
    if where:  # a subquery keeps one row per deal whatever the places joined
        qs = qs.filter(pk__in=Deal.objects.filter(where).values("pk"))
    return keyset_page(qs, order=ORDER, cursor=cursor, limit=limit)


def public_deal(deal_id: int) -> Deal:
    """A deal in any state but draft (ended, failed and withdrawn ones show as such); 404 otherwise."""
    found = _base().filter(pk=deal_id).exclude(state=State.DRAFT).first()
    if found is None:
        raise NotFound(gettext("deal not found"), field="deal")
    return found


def place_deals(place: Place, limit: int = 12) -> list[Deal]:
    """A place's deals on sale (the place page's strip)."""
    return list(_on_sale(_base()).filter(places=place).order_by(*ORDER)[:limit])


def _with_redeemed(qs: QuerySet[Deal]) -> QuerySet[Deal]:
    """Each deal's vouchers counted in the same query: sold (every voucher issued, i.e. paid for), redeemed, refunded."""
    return qs.annotate(
        vouchers_sold=Count("vouchers"),
        redeemed=Count("vouchers", filter=Q(vouchers__state=Voucher.State.REDEEMED)),
        refunded=Count("vouchers", filter=Q(vouchers__state=Voucher.State.REFUNDED)),
    )


@dataclass(frozen=True)
class DealFigures:
    """A deal's sales as the console shows them."""

    sold: int
    redeemed: int
    refunded: int

    @property
    def redemption_rate(self) -> int | None:
        """Redeemed ÷ sold as a whole percent; None when nothing is sold."""
        if not self.sold:
            return None
        return int((Decimal(100) * self.redeemed / self.sold).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def figures(deal: Deal) -> DealFigures:
    """The figures of a deal read by seller_deals / seller_deal (annotated there)."""
    return DealFigures(sold=deal.vouchers_sold, redeemed=deal.redeemed, refunded=deal.refunded)


def seller_deals(*, actor: User, organization_id: int, cursor: str | None = None, limit: int = 50) -> Page:
    """The organization's deals (catalog.manage), newest first, with their vouchers counted (see `figures`)."""
    require(actor, organization_id, "catalog.manage")
    qs = _with_redeemed(_base().filter(product__seller_id=organization_id))
    return keyset_page(qs, order=("-created_at", "-id"), cursor=cursor, limit=limit)


def seller_deal(*, actor: User, deal_id: int) -> Deal:
    found = _with_redeemed(_base().filter(pk=deal_id)).first()
    if found is None:
        raise NotFound(gettext("deal not found"), field="deal")
    try:
        require(actor, found.product.seller_id, "catalog.manage")
    except NotFound:
        raise NotFound(gettext("deal not found"), field="deal") from None
    return found


def own_places(*, actor: User, organization_id: int) -> list[Place]:
    require(actor, organization_id, "catalog.manage")
    return list(Place.objects.filter(seller_id=organization_id, is_active=True).order_by("id"))


def o2o_page_url(product: Product) -> str | None:
    """The page that sells a deal's or a service's product (not the retail product page), if there is one."""
    try:
        if product.kind == Product.Kind.DEAL:
            deal_id = Deal.objects.filter(product=product).exclude(state=State.DRAFT).values_list("pk", flat=True)
            found = deal_id.first()
            return reverse("o2o:deal", args=[found]) if found else None
        if product.kind == Product.Kind.SERVICE:
            from tradeloop.o2o.models import Service

            found = Service.objects.filter(product=product).values_list("pk", flat=True).first()
            return reverse("o2o:service", args=[found]) if found else None
    except NoReverseMatch:  # the page is not built (yet)
        return None
    return None
