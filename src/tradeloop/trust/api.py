"""trust's part of the REST API: the seller's verification (read, data, documents, submit) and a store's public
verified mark. Thin: services write, selectors read. The operator reviews in the back office."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile

from tradeloop.accounts.api_auth import SIGNED_IN
from tradeloop.accounts.selectors import membership, public_store
from tradeloop.core.api_schemas import Id, InputSchema, Text, errors
from tradeloop.payments import holds
from tradeloop.trust import selectors, services
from tradeloop.trust.models import Document

router = Router(tags=["Seller verification"])
seller_router = Router(tags=["Seller verification"])

READ_ERRORS = errors(400, 401, 403, 404, 422)
WRITE_ERRORS = errors(400, 401, 403, 404, 409, 422)
DocumentKind = Literal["business_licence", "id_front", "id_back", "certificate", "other"]
IdentityLevelName = Literal["", "phone", "id_document", "id_face"]


class VerificationDocumentOut(Schema):
    id: int
    kind: str = Field(..., description="business_licence, id_front, id_back, certificate or other")
    content_type: str
    size: int
    url: str = Field(..., description="Where the organization's members and the operator open it (signed in)")
    uploaded_at: datetime


class VerificationEventOut(Schema):
    at: datetime
    old: str
    new: str
    reason: str


class VerificationApplicationOut(Schema):
    state: str = Field(..., description="draft, submitted, approved, rejected or more_info")
    country: str
    legal_name: str
    registration_number: str
    registered_address: str
    contact_name: str
    contact_phone: str
    contact_email: str
    identity_level: str = Field(..., description="A private seller's identity check: phone, id_document or id_face")
    reason: str = Field(..., description="The operator's reason for a rejection or a request for more")
    submitted_at: datetime | None
    decided_at: datetime | None


class VerificationOut(Schema):
    organization_id: int
    tier: str = Field(..., description="unverified, pending or verified")
    level: str = Field(..., description="A verified private seller's identity check level, else empty")
    payouts_held: bool = Field(..., description="Payouts wait until the organization is verified")
    application: VerificationApplicationOut | None
    documents: list[VerificationDocumentOut]
    history: list[VerificationEventOut]


class VerificationQuery(Schema):
    organization: Id = Field(..., description="The selling organization (needs org.manage)")


class VerificationIn(InputSchema):
    organization: Id
    legal_name: Text | None = Field(None, max_length=200)
    registration_number: Text | None = Field(
        None,
        max_length=40,
        description="In China the 18-character unified social credit code (check character checked)",
    )
    registered_address: Text | None = Field(None, max_length=300)
    contact_name: Text | None = Field(None, max_length=120)
    contact_phone: Text | None = Field(None, max_length=40)
    contact_email: Text | None = Field(None, max_length=254)
    identity_level: IdentityLevelName | None = Field(None, description="Private sellers only")


class VerificationSubmitIn(InputSchema):
    organization: Id


class StoreVerificationOut(Schema):
    slug: str
    verified: bool
    level: str = Field(..., description="A verified private seller's identity check level, else empty")


def _answer(request: HttpRequest, organization) -> dict:
    verification = selectors.verification_for(actor=request.auth, organization=organization)
    tier = selectors.tier_of_org(organization)
    docs = list(verification.documents.all()) if verification else []
    return {
        "organization_id": organization.pk,
        "tier": tier.tier,
        "level": tier.level,
        "payouts_held": holds.held(organization),
        "application": verification,
        "documents": [
            {
                "id": d.pk,
                "kind": d.kind,
                "content_type": d.content_type,
                "size": d.size,
                "url": reverse("trust:document", args=[d.pk]),
                "uploaded_at": d.uploaded_at,
            }
            for d in docs
        ],
        "history": [
            {"at": e.at, "old": e.old, "new": e.new, "reason": e.reason} for e in selectors.history(verification)
        ],
    }


def _org(request: HttpRequest, organization_id: int):
    return membership(request.auth, organization_id).organization


@seller_router.get(
    "verification",
    auth=SIGNED_IN,
    response={200: VerificationOut, **READ_ERRORS},
    summary="The organization's verification: tier, application, documents and history (needs org.manage)",
)
def get_verification(request: HttpRequest, query: Query[VerificationQuery]):
    return _answer(request, _org(request, query.organization))


@seller_router.put(
    "verification",
    auth=SIGNED_IN,
    response={200: VerificationOut, **WRITE_ERRORS},
    summary="Save the application's data (only the given fields change); a verified seller's legal change goes back "
    "to review",
)
def put_verification(request: HttpRequest, payload: VerificationIn):
    org = _org(request, payload.organization)
    data = payload.dict(exclude={"organization"}, exclude_none=True)
    services.save_application(actor=request.auth, organization=org, data=data)
    return _answer(request, org)


@seller_router.post(
    "verification/documents",
    auth=SIGNED_IN,
    response={201: VerificationDocumentOut, **WRITE_ERRORS},
    summary="Upload a document (multipart/form-data: organization, kind, file): a PDF or a JPEG, PNG or WebP picture "
    "of at most 5 MB",
)
def add_document(request: HttpRequest, organization: Form[Id], kind: Form[DocumentKind], file: File[UploadedFile]):
    from django.urls import reverse

    org = _org(request, organization)
    doc: Document = services.add_document(actor=request.auth, organization=org, kind=kind, upload=file)
    return Status(
        201,
        {
            "id": doc.pk,
            "kind": doc.kind,
            "content_type": doc.content_type,
            "size": doc.size,
            "url": reverse("trust:document", args=[doc.pk]),
            "uploaded_at": doc.uploaded_at,
        },
    )


@seller_router.post(
    "verification/submit",
    auth=SIGNED_IN,
    response={200: VerificationOut, **WRITE_ERRORS},
    summary="Send the application to the operator's review",
)
def submit(request: HttpRequest, payload: VerificationSubmitIn):
    org = _org(request, payload.organization)
    services.submit(actor=request.auth, organization=org)
    return _answer(request, org)


@router.get(
    "stores/{slug}/verification",
    response={200: StoreVerificationOut, **errors(404, 422)},
    summary="Whether a store is verified (its badge)",
)
def store_verification(request: HttpRequest, slug: Text):
    store = public_store(slug)
    tier = selectors.tier_of_org(store)
    return {"slug": store.slug, "verified": tier.verified, "level": tier.level}
