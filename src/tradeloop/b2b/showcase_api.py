"""Supplier showcase endpoints: the public showcase of a supplier (by its store's slug) and the supplier's own, to
read and replace (`organization` names the supplier organization; the caller needs org.manage there). Another tenant's
organization answers 404; an organization that is not a supplier 400 `not_a_supplier`."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema

from tradeloop.accounts.api_auth import SIGNED_IN
from tradeloop.accounts.selectors import selling_organization
from tradeloop.b2b import showcase
from tradeloop.b2b.models import SupplierProfile
from tradeloop.core.api_schemas import Id, InputSchema, Text, errors
from tradeloop.trust import selectors as trust

router = Router(tags=["supplier showcase"])
seller_router = Router(auth=SIGNED_IN, tags=["seller"])
PUBLIC_ERRORS = errors(404, 422)
READ_ERRORS = errors(400, 401, 403, 404, 422)
WRITE_ERRORS = errors(400, 401, 403, 404, 422)

# --- schemas ------------------------------------------------------------------------------------------------------


class ShowcaseProfileOut(Schema):
    year_founded: int | None
    factory_size_m2: int | None = Field(None, description="Square metres")
    employees: int | None
    certifications: list[str] = Field(..., description="Names, e.g. ISO 9001, CE, RoHS")
    main_markets: list[str] = Field(..., description="In English (main_markets_zh: in Simplified Chinese)")
    main_markets_zh: list[str]
    capacity: str = Field(..., description="Production capacity in words, English")
    capacity_zh: str
    capacity_per_month: int | None = Field(None, description="Units per month")
    typical_moq: int | None = Field(None, description="Typical minimum order quantity, units")
    lead_time_days: int | None = Field(None, description="Typical lead time from order to dispatch, days")
    introduction: str
    introduction_zh: str
    updated_at: datetime | None = Field(None, description="Null: never saved")


class ShowcaseResponseOut(Schema):
    inquiries: int = Field(..., description="Inquiries received in the last 90 days")
    answered: int = Field(..., description="Of them, answered with a quote")
    rate: int | None = Field(None, description="Answered out of received, whole percent")
    median_response_seconds: int | None = Field(None, description="From an inquiry arriving to the quote")
    shown: bool = Field(..., description=f"Buyers see the figures from {showcase.MIN_INQUIRIES} inquiries on")


class ShowcaseSupplierOut(Schema):
    id: int
    slug: str
    name: str


class SupplierShowcaseOut(Schema):
    supplier: ShowcaseSupplierOut
    verified: bool = Field(..., description="The operator verified the supplier (trust)")
    profile: ShowcaseProfileOut | None = Field(None, description="Null: the supplier has not filled it in")
    response: ShowcaseResponseOut | None = Field(
        None, description=f"Null: fewer than {showcase.MIN_INQUIRIES} inquiries in the last 90 days"
    )
    send_inquiry_url: str = Field(..., description="The web page that starts an RFQ to this supplier")


class SellerShowcaseOut(Schema):
    supplier: ShowcaseSupplierOut
    profile: ShowcaseProfileOut
    response: ShowcaseResponseOut


class ShowcaseQuery(Schema):
    organization: Id = Field(..., description="Your supplier organization (needs org.manage)")


class ShowcaseIn(InputSchema):
    year_founded: int | None = Field(None, description="From 1800 to this year")
    factory_size_m2: int | None = Field(None, ge=0, le=showcase.NUMBERS["factory_size_m2"][1])
    employees: int | None = Field(None, ge=0, le=showcase.NUMBERS["employees"][1])
    certifications: list[Text] = Field([], max_length=showcase.MAX_ITEMS)
    main_markets: list[Text] = Field([], max_length=showcase.MAX_ITEMS)
    main_markets_zh: list[Text] = Field([], max_length=showcase.MAX_ITEMS)
    capacity: Text = Field("", max_length=300)
    capacity_zh: Text = Field("", max_length=300)
    capacity_per_month: int | None = Field(None, ge=0, le=showcase.NUMBERS["capacity_per_month"][1])
    typical_moq: int | None = Field(None, ge=1, le=showcase.NUMBERS["typical_moq"][1])
    lead_time_days: int | None = Field(None, ge=0, le=showcase.NUMBERS["lead_time_days"][1])
    introduction: Text = Field("", max_length=4000)
    introduction_zh: Text = Field("", max_length=4000)


# --- shaping ------------------------------------------------------------------------------------------------------


def _profile_out(profile: SupplierProfile) -> dict:
    out = {name: getattr(profile, name) for name in showcase.ProfileIn.__dataclass_fields__}
    out["updated_at"] = profile.updated_at if profile.pk else None
    return out


def _response_out(r: showcase.ResponseFigures) -> dict:
    return {
        "inquiries": r.inquiries,
        "answered": r.answered,
        "rate": r.rate,
        "median_response_seconds": int(r.median.total_seconds()) if r.median is not None else None,
        "shown": r.shown,
    }


def _supplier_out(org) -> dict:
    return {"id": org.pk, "slug": org.slug, "name": org.name}


# --- endpoints ----------------------------------------------------------------------------------------------------


@router.get(
    "suppliers/{slug}/showcase",
    response={200: SupplierShowcaseOut, **PUBLIC_ERRORS},
    summary="A supplier's showcase for company buyers: profile, response figures, verified flag",
)
def public_showcase(request: HttpRequest, slug: str):
    found = showcase.public_showcase(slug[:80])
    return {
        "supplier": _supplier_out(found.supplier),
        "verified": trust.is_verified(found.supplier),
        "profile": _profile_out(found.profile) if found.profile is not None else None,
        "response": _response_out(found.response) if found.response.shown else None,
        "send_inquiry_url": request.build_absolute_uri(f"{reverse('b2b:rfq_new')}?supplier={found.supplier.pk}"),
    }


def _own(request: HttpRequest, org: int) -> dict:
    supplier = selling_organization(request.auth, org)
    profile = showcase.own_profile(request.auth, supplier)
    return {
        "supplier": _supplier_out(supplier),
        "profile": _profile_out(profile),
        "response": _response_out(showcase.response_figures(supplier)),
    }


@seller_router.get(
    "showcase",
    response={200: SellerShowcaseOut, **READ_ERRORS},
    summary="Your supplier showcase and your response figures (needs org.manage)",
)
def own_showcase(request: HttpRequest, query: Query[ShowcaseQuery]):
    return _own(request, query.organization)


@seller_router.put(
    "showcase",
    response={200: SellerShowcaseOut, **WRITE_ERRORS},
    summary="Replace your supplier showcase (needs org.manage; a supplier organization only)",
)
def put_showcase(request: HttpRequest, query: Query[ShowcaseQuery], payload: ShowcaseIn):
    supplier = selling_organization(request.auth, query.organization)
    showcase.save_profile(actor=request.auth, supplier=supplier, data=showcase.ProfileIn(**payload.dict()))
    return _own(request, query.organization)
