"""Spending limits and order approvals.

A company member may have a spending limit (`SpendingLimit`, per membership; none = no limit). The placement gate
`spending_gate` holds an order of a member above the limit (unless the member may approve orders,
`purchasing.approve`): the order waits in AWAITING_APPROVAL and an `OrderApproval` row records why. An approver
(or an owner / admin) of the company approves or rejects it with a comment (`approve` / `reject`), which
`orders.approve_held` / `reject_held` put on the order's timeline. The order's approval deadline (orders' sweep)
cancels it when nobody decides; the row then reads "expired".

Reads: `inbox` (what the actor may decide, or asked for), `approval_for` (one, 404 for anyone else).
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import get_language, gettext

from tradeloop.accounts.models import Membership, User
from tradeloop.accounts.selectors import memberships_of
from tradeloop.b2b.errors import Code
from tradeloop.b2b.models import Company, OrderApproval, SpendingLimit
from tradeloop.core import clock
from tradeloop.core.errors import Conflict, NotAuthenticated, NotFound, PermissionDenied, ValidationFailed
from tradeloop.core.money import Money, check_currency, parse_amount, quantize
from tradeloop.core.pagination import Page, keyset_page
from tradeloop.orders import services as orders
from tradeloop.orders.models import Order

APPROVE = "purchasing.approve"
Decision = OrderApproval.Decision
COMMENT_MAX = 1000


# ---------- the gate ----------


def _limit_of(order: Order, buyer: User) -> SpendingLimit | None:
    return (
        SpendingLimit.objects.select_related("membership__role")
        .filter(membership__user=buyer, membership__organization_id=order.buyer_org_id)
        .first()
    )


def over_limit(limit: SpendingLimit, total: Decimal, currency: str) -> bool:
    """Above the limit, or in another currency than the limit (it cannot be compared: an approver decides)."""
    return currency != limit.currency or Decimal(total) > limit.amount


def spending_gate(order: Order, actor: User | None) -> str | None:
    """Placement gate: hold the order of a member whose spending limit is below its total."""
    if order.buyer_org_id is None:
        return None
    buyer = order.buyer
    limit = _limit_of(order, buyer)
    if limit is None or limit.membership.role.grants(APPROVE) or not over_limit(limit, order.total, order.currency):
        return None
    company = Company.objects.filter(organization_id=order.buyer_org_id).first()
    if company is None:
        return None
    reason = gettext("over %(name)s's spending limit of %(limit)s") % {
        "name": buyer.display_name,
        "limit": Money(limit.amount, limit.currency).format(get_language() or "en"),
    }
    OrderApproval.objects.create(order=order, company=company, requested_by=buyer, reason=reason[:300])
    return reason


# ---------- deciding ----------


def may_approve(actor: User, company: Company) -> bool:
    found = memberships_of(actor).filter(organization_id=company.organization_id).first()
    return found is not None and found.role.grants(APPROVE)


def _locked(actor: User, approval_id: int) -> OrderApproval:
    approval = approval_for(actor, approval_id)
    if not may_approve(actor, approval.company):
        raise PermissionDenied(gettext("Only an approver of the company can decide on held orders."))
    approval = OrderApproval.objects.select_for_update().select_related("order", "company").get(pk=approval.pk)
    if approval.decision != Decision.PENDING:
        raise Conflict(
            gettext("This order was decided already (%(decision)s).") % {"decision": approval.get_decision_display()},
            code=Code.ALREADY_DECIDED,
        )
    return approval


def _comment(comment: str | None) -> str:
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise ValidationFailed(
            gettext("Keep the comment under %(max)s characters.") % {"max": COMMENT_MAX}, field="comment"
        )
    return comment


def _decided(approval: OrderApproval, actor: User, decision: str, comment: str) -> None:
    approval.decision, approval.decided_by, approval.comment, approval.decided_at = (
        decision,
        actor,
        comment,
        clock.now(),
    )
    approval.save(update_fields=["decision", "decided_by", "comment", "decided_at"])


@transaction.atomic
def approve(*, actor: User, approval_id: int, comment: str = "") -> OrderApproval:
    """The held order goes on: confirmed on credit terms, else it waits for its payment."""
    comment = _comment(comment)
    approval = _locked(actor, approval_id)
    _decided(approval, actor, Decision.APPROVED, comment)
    orders.approve_held(order=approval.order, actor=actor, comment=comment)
    return approval


@transaction.atomic
def reject(*, actor: User, approval_id: int, comment: str = "") -> OrderApproval:
    """The held order is cancelled (stock released). A rejection says why."""
    comment = _comment(comment)
    if not comment:
        raise ValidationFailed(gettext("Say why the order is rejected."), field="comment")
    approval = _locked(actor, approval_id)
    _decided(approval, actor, Decision.REJECTED, comment)
    orders.reject_held(order=approval.order, actor=actor, comment=comment)
    return approval


def on_order_changed(sender, *, order: Order, old: str, new: str, **kwargs) -> None:
    """A held order cancelled otherwise than by a decision (its approval deadline passed): the request expired."""
    if old == Order.State.AWAITING_APPROVAL and new == Order.State.CANCELLED:
        OrderApproval.objects.filter(order=order, decision=Decision.PENDING).update(
            decision=Decision.EXPIRED, decided_at=clock.now()
        )


# ---------- spending limits ----------


@transaction.atomic
def set_spending_limit(
    *, actor: User, company: Company, membership_id: int, amount: object | None, currency: str | None = None
) -> SpendingLimit | None:
    """Owner / admin (team.manage) sets a member's limit; `amount` None (or "") removes it: no limit."""
    from tradeloop.b2b.companies import require_member

    require_member(actor, company, "team.manage")
    member = Membership.objects.filter(organization_id=company.organization_id, pk=membership_id).first()
    if member is None:
        raise NotFound(gettext("member not found"), field="membership")
    if amount is None or str(amount).strip() == "":
        SpendingLimit.objects.filter(membership=member).delete()
        return None
    value = parse_amount(amount, field="amount")
    if value < 0:
        raise ValidationFailed(gettext("A spending limit cannot be negative."), field="amount")
    currency = check_currency(currency or company.currency)
    limit, _ = SpendingLimit.objects.update_or_create(
        membership=member,
        defaults={"amount": quantize(value, currency), "currency": currency, "updated_at": clock.now()},
    )
    return limit


# ---------- reads ----------


def _deciding_org_ids(actor: User) -> list[int]:
    return [m.organization_id for m in memberships_of(actor) if m.role.grants(APPROVE)]


def _visible(actor: User) -> QuerySet[OrderApproval]:
    """Approvals of companies the actor decides for, and those the actor asked for."""
    if not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated(gettext("sign in first"))
    from django.db.models import Q

    return OrderApproval.objects.filter(
        Q(company__organization_id__in=_deciding_org_ids(actor)) | Q(requested_by=actor)
    ).select_related("order__seller", "company__organization", "requested_by", "decided_by")


def approval_for(actor: User, approval_id: int) -> OrderApproval:
    found = _visible(actor).filter(pk=approval_id).first()
    if found is None:
        raise NotFound(gettext("approval not found"), field="approval")
    return found


def inbox(
    *,
    actor: User,
    company: Company | None = None,
    decision: str | None = Decision.PENDING,
    cursor: str | None = None,
    limit: int = 25,
) -> Page:
    """Newest first; `decision` None = all. A fixed number of queries whatever the page's length."""
    qs = _visible(actor)
    if company is not None:
        qs = qs.filter(company=company)
    if decision:
        if decision not in Decision.values:
            raise ValidationFailed(gettext("unknown decision %(value)s") % {"value": repr(decision)}, field="decision")
        qs = qs.filter(decision=decision)
    return keyset_page(qs, order=("-requested_at", "-id"), cursor=cursor, limit=limit)


def pending_count(actor: User, company: Company) -> int:
    if not may_approve(actor, company):
        return 0
    return OrderApproval.objects.filter(company=company, decision=Decision.PENDING).count()
