"""Company endpoints: register a company, my companies, one company with its members and spending limits, its
delivery addresses, its credit, and the approvals of orders held over a spending limit.

A company is named by its organization's id (the `buyer_org` of its orders). Another company's objects answer
404; a member whose role lacks the capability gets 403 (limits: team.manage; addresses: org.manage; deciding:
purchasing.approve)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from tradeloop.accounts.api_auth import SIGNED_IN
from tradeloop.b2b import approvals, companies, credit
from tradeloop.b2b.models import Company, CompanyAddress, OrderApproval
from tradeloop.core.api_schemas import (
    Amount,
    AmountIn,
    Currency,
    Id,
    InputSchema,
    MoneyOut,
    PageOut,
    PageQuery,
    PostalAddressIn,
    PostalAddressOut,
    Text,
    errors,
)
from tradeloop.orders.terms import parse_terms

router = Router(auth=SIGNED_IN, tags=["companies and approvals"])
READ_ERRORS = errors(400, 401, 403, 404, 422)
WRITE_ERRORS = errors(400, 401, 403, 404, 409, 422)


# --- schemas ------------------------------------------------------------------------------------------------------


class CompanyIn(InputSchema):
    name: Text = Field(..., min_length=1, max_length=120)
    city: Text = Field("", max_length=80)
    registration_number: Text = Field("", max_length=60)
    tax_id: Text = Field("", max_length=60)
    website: Text = Field("", max_length=200)
    currency: Currency = Field("CNY", description="The currency the company buys and gets credit in")


class CompanyOut(MoneyOut):
    id: int = Field(..., description="The company's organization id")
    name: str
    state: Literal["pending", "approved", "rejected"] = Field(
        ..., description="pending: awaiting operator approval; only approved companies buy on payment terms"
    )
    city: str
    registration_number: str
    tax_id: str
    website: str
    payment_terms: str = Field(..., description="The terms an order is placed on (prepay until approved)")
    payment_terms_label: str
    credit_limit: Amount
    my_role: str
    created_at: datetime
    decided_at: datetime | None


class CreditOut(MoneyOut):
    payment_terms: str
    payment_terms_label: str
    on_credit: bool
    credit_limit: Amount
    outstanding: Amount = Field(..., description="On-credit orders not cancelled, less what was paid on them")
    available: Amount = Field(..., description="credit_limit − outstanding, never below 0")


class SpendingLimitOut(MoneyOut):
    amount: Amount


class CompanyMemberOut(Schema):
    membership_id: int
    user_id: int
    name: str
    email: str
    role: str
    role_label: str
    may_approve: bool
    spending_limit: SpendingLimitOut | None = Field(None, description="Null: no limit")


class SpendingLimitIn(InputSchema):
    amount: AmountIn | None = Field(..., ge=0, description="Null removes the limit")
    currency: Currency | None = Field(None, description="Default: the company's currency")


class CompanyAddressIn(PostalAddressIn):
    label: Text = Field("", max_length=60)


class CompanyAddressOut(PostalAddressOut):
    id: int
    label: str
    is_default: bool


class ApprovalOrderOut(MoneyOut):
    number: str
    state: str
    seller: str
    payment_terms: str
    total: Amount


class ApprovalOut(Schema):
    id: int
    company_id: int
    decision: Literal["pending", "approved", "rejected", "expired"]
    reason: str
    order: ApprovalOrderOut
    requested_by: str
    requested_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    comment: str


class ApprovalQuery(PageQuery):
    company: Id | None = Field(None, description="One company (organization id)")
    decision: Literal["pending", "approved", "rejected", "expired", "all"] = "pending"


class ApprovalDecisionIn(InputSchema):
    comment: Text = Field("", max_length=1000, description="Shown on the order's timeline; required to reject")


# --- shaping ------------------------------------------------------------------------------------------------------


def _company_out(company: Company, role: str) -> dict:
    org = company.organization
    terms = parse_terms(company.payment_terms if company.is_approved else "prepay")
    return {
        "id": org.pk,
        "name": org.name,
        "state": company.state,
        "city": org.city,
        "registration_number": company.registration_number,
        "tax_id": company.tax_id,
        "website": company.website,
        "payment_terms": terms.code,
        "payment_terms_label": terms.label,
        "credit_limit": company.credit_limit,
        "currency": company.currency,
        "my_role": role,
        "created_at": company.created_at,
        "decided_at": company.decided_at,
    }


def _member_out(m) -> dict:
    limit = getattr(m, "spending_limit", None)
    return {
        "membership_id": m.pk,
        "user_id": m.user_id,
        "name": m.user.display_name,
        "email": m.user.email,
        "role": m.role.code,
        "role_label": str(m.role.label),
        "may_approve": m.role.grants(approvals.APPROVE),
        "spending_limit": {"amount": limit.amount, "currency": limit.currency} if limit else None,
    }


def _approval_out(a: OrderApproval) -> dict:
    order = a.order
    return {
        "id": a.pk,
        "company_id": a.company.organization_id,
        "decision": a.decision,
        "reason": a.reason,
        "order": {
            "number": order.number,
            "state": order.state,
            "seller": order.seller.name,
            "payment_terms": order.payment_terms,
            "total": order.total,
            "currency": order.currency,
        },
        "requested_by": a.requested_by.display_name,
        "requested_at": a.requested_at,
        "decided_by": a.decided_by.display_name if a.decided_by else None,
        "decided_at": a.decided_at,
        "comment": a.comment,
    }


def _address_out(a: CompanyAddress) -> dict:
    return companies.address_dict(a)


def _my_role(request: HttpRequest, company: Company) -> str:
    from tradeloop.accounts.selectors import membership

    return membership(request.auth, company.organization_id).role.code


# --- companies ----------------------------------------------------------------------------------------------------


@router.post(
    "companies",
    response={201: CompanyOut, **WRITE_ERRORS},
    summary="Register a buyer company (you become its owner; it waits for the operator's approval)",
)
def register(request: HttpRequest, payload: CompanyIn):
    company = companies.register_company(actor=request.auth, **payload.dict())
    return Status(201, _company_out(company, "owner"))


@router.get("companies", response={200: list[CompanyOut], **READ_ERRORS}, summary="The companies I belong to")
def mine(request: HttpRequest):
    roles = {m.organization_id: m.role.code for m in request.auth.memberships.select_related("role")}
    return [_company_out(c, roles.get(c.organization_id, "")) for c in companies.my_companies(request.auth)]


@router.get("companies/{company_id}", response={200: CompanyOut, **READ_ERRORS}, summary="One of my companies")
def detail(request: HttpRequest, company_id: Id):
    company = companies.company_for(request.auth, company_id)
    return _company_out(company, _my_role(request, company))


@router.get(
    "companies/{company_id}/credit",
    response={200: CreditOut, **READ_ERRORS},
    summary="The company's payment terms, credit limit, outstanding and available credit",
)
def company_credit(request: HttpRequest, company_id: Id):
    company = companies.company_for(request.auth, company_id)
    terms = parse_terms(company.payment_terms if company.is_approved else "prepay")
    return {
        "payment_terms": terms.code,
        "payment_terms_label": terms.label,
        "on_credit": terms.on_credit,
        "credit_limit": company.credit_limit,
        "outstanding": credit.outstanding(company),
        "available": credit.available_credit(company),
        "currency": company.currency,
    }


@router.get(
    "companies/{company_id}/members",
    response={200: list[CompanyMemberOut], **READ_ERRORS},
    summary="The company's members with their roles and spending limits (invite through organizations/{id}/invitations)",
)
def members(request: HttpRequest, company_id: Id):
    company = companies.company_for(request.auth, company_id)
    return [_member_out(m) for m in companies.members(request.auth, company)]


@router.put(
    "companies/{company_id}/members/{membership_id}/spending-limit",
    response={200: CompanyMemberOut, **WRITE_ERRORS},
    summary="Set or remove a member's spending limit (needs team.manage: owner or admin)",
)
def set_limit(request: HttpRequest, company_id: Id, membership_id: Id, payload: SpendingLimitIn):
    company = companies.company_for(request.auth, company_id)
    approvals.set_spending_limit(
        actor=request.auth,
        company=company,
        membership_id=membership_id,
        amount=payload.amount,
        currency=payload.currency,
    )
    return _member_out(companies.members(request.auth, company).get(pk=membership_id))


@router.get(
    "companies/{company_id}/addresses",
    response={200: list[CompanyAddressOut], **READ_ERRORS},
    summary="The company's delivery addresses (checkout offers them to its members)",
)
def addresses(request: HttpRequest, company_id: Id):
    company = companies.company_for(request.auth, company_id)
    return [_address_out(a) for a in companies.addresses(company)]


@router.post(
    "companies/{company_id}/addresses",
    response={201: CompanyAddressOut, **WRITE_ERRORS},
    summary="Add a delivery address (needs org.manage)",
)
def add_address(request: HttpRequest, company_id: Id, payload: CompanyAddressIn):
    company = companies.company_for(request.auth, company_id)
    return Status(201, _address_out(companies.add_address(actor=request.auth, company=company, **payload.dict())))


@router.delete(
    "companies/{company_id}/addresses/{address_id}",
    response={204: None, **WRITE_ERRORS},
    summary="Delete a delivery address (needs org.manage)",
)
def delete_address(request: HttpRequest, company_id: Id, address_id: Id):
    company = companies.company_for(request.auth, company_id)
    companies.delete_address(actor=request.auth, company=company, address_id=address_id)
    return Status(204, None)


# --- approvals ----------------------------------------------------------------------------------------------------


@router.get(
    "approvals",
    response={200: PageOut[ApprovalOut], **READ_ERRORS},
    summary="Held orders: those I may decide (purchasing.approve) and those I asked for, newest first",
)
def approval_list(request: HttpRequest, query: Query[ApprovalQuery]):
    company = companies.company_for(request.auth, query.company) if query.company else None
    decision = None if query.decision == "all" else query.decision
    page = approvals.inbox(
        actor=request.auth, company=company, decision=decision, cursor=query.cursor, limit=query.limit
    )
    return {"items": [_approval_out(a) for a in page.items], "next_cursor": page.next_cursor}


@router.get("approvals/{approval_id}", response={200: ApprovalOut, **READ_ERRORS}, summary="One held order")
def approval_detail(request: HttpRequest, approval_id: Id):
    return _approval_out(approvals.approval_for(request.auth, approval_id))


@router.post(
    "approvals/{approval_id}/approve",
    response={200: ApprovalOut, **WRITE_ERRORS},
    summary="Approve a held order (needs purchasing.approve): confirmed on credit terms, else it awaits payment",
)
def approve(request: HttpRequest, approval_id: Id, payload: ApprovalDecisionIn):
    approvals.approve(actor=request.auth, approval_id=approval_id, comment=payload.comment)
    return _approval_out(approvals.approval_for(request.auth, approval_id))


@router.post(
    "approvals/{approval_id}/reject",
    response={200: ApprovalOut, **WRITE_ERRORS},
    summary="Reject a held order with a comment (needs purchasing.approve): the order is cancelled",
)
def reject(request: HttpRequest, approval_id: Id, payload: ApprovalDecisionIn):
    approvals.reject(actor=request.auth, approval_id=approval_id, comment=payload.comment)
    return _approval_out(approvals.approval_for(request.auth, approval_id))
