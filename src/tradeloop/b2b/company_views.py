"""Company pages for members: register a company, the company page (profile, state, members with roles and
spending limits, payment terms and credit, delivery addresses) and the approvals inbox with approve / reject.
Thin: forms parse, services decide."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from tradeloop.accounts.selectors import can
from tradeloop.b2b import approvals, companies, credit
from tradeloop.b2b.company_forms import AddressForm, DecisionForm, RegisterCompanyForm, SpendingLimitForm
from tradeloop.b2b.models import Company, OrderApproval
from tradeloop.core.errors import DomainError, NotFound, PermissionDenied
from tradeloop.orders.terms import parse_terms

PAGE_SIZE = 20
DECISION_BADGES = {
    "pending": "badge-warning",
    "approved": "badge-success",
    "rejected": "badge-danger",
    "expired": "badge-muted",
}
STATE_BADGES = {"pending": "badge-warning", "approved": "badge-success", "rejected": "badge-danger"}


def _attach(form, error: DomainError) -> None:
    name = (error.field or "").split(".")[0]
    form.add_error(name if name in form.fields else None, error.message)


def _company(request: HttpRequest, org_id: int) -> Company:
    try:
        return companies.company_for(request.user, org_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@login_required
def company_home(request: HttpRequest) -> HttpResponse:
    """ "My company": the company page if the person belongs to one, else the form to register one."""
    mine = companies.my_companies(request.user)
    if mine:
        return redirect("b2b:company", mine[0].organization_id)
    return redirect("b2b:company_register")


@login_required
def company_register(request: HttpRequest) -> HttpResponse:
    form = RegisterCompanyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            company = companies.register_company(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            _attach(form, exc)
        else:
            messages.success(
                request,
                gettext("%(name)s is registered. The operator checks it before it can buy on payment terms.")
                % {"name": company.organization.name},
            )
            return redirect("b2b:company", company.organization_id)
    context = {"form": form, "mine": companies.my_companies(request.user)}
    return render(request, "b2b/company/register.html", context, status=400 if request.method == "POST" else 200)


def _company_page(request: HttpRequest, company: Company, *, address_form=None, status: int = 200) -> HttpResponse:
    user = request.user
    org = company.organization
    members = list(companies.members(user, company))
    context = {
        "company": company,
        "org": org,
        "badge": STATE_BADGES.get(company.state, "badge-muted"),
        "members": members,
        "terms": parse_terms(company.payment_terms),
        "outstanding": credit.outstanding(company),
        "available": credit.available_credit(company),
        "addresses": companies.addresses(company),
        "address_form": address_form or AddressForm(),
        "may_manage_team": can(user, org, "team.manage"),
        "may_manage": can(user, org, "org.manage"),
        "may_approve": approvals.may_approve(user, company),
        "pending_approvals": approvals.pending_count(user, company),
    }
    return render(request, "b2b/company/detail.html", context, status=status)


@login_required
def company_detail(request: HttpRequest, org_id: int) -> HttpResponse:
    return _company_page(request, _company(request, org_id))


@login_required
@require_POST
def spending_limit(request: HttpRequest, org_id: int, membership_id: int) -> HttpResponse:
    company = _company(request, org_id)
    form = SpendingLimitForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("b2b:company", org_id)
    try:
        approvals.set_spending_limit(
            actor=request.user, company=company, membership_id=membership_id, amount=form.cleaned_data["amount"]
        )
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, gettext("The spending limit is saved."))
    return redirect("b2b:company", org_id)


@login_required
@require_POST
def address_add(request: HttpRequest, org_id: int) -> HttpResponse:
    company = _company(request, org_id)
    form = AddressForm(request.POST)
    if form.is_valid():
        try:
            companies.add_address(actor=request.user, company=company, **form.cleaned_data)
        except DomainError as exc:
            _attach(form, exc)
        else:
            messages.success(request, gettext("The address is saved."))
            return redirect("b2b:company", org_id)
    return _company_page(request, company, address_form=form, status=400)


@login_required
@require_POST
def address_change(request: HttpRequest, org_id: int, address_id: int, action: str) -> HttpResponse:
    company = _company(request, org_id)
    change = {"default": companies.make_default_address, "delete": companies.delete_address}.get(action)
    if change is None:
        raise Http404
    try:
        change(actor=request.user, company=company, address_id=address_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, gettext("The addresses are saved."))
    return redirect("b2b:company", org_id)


# ---------- approvals ----------


@login_required
def approval_list(request: HttpRequest, org_id: int) -> HttpResponse:
    company = _company(request, org_id)
    decision = request.GET.get("decision", "pending")
    decision = decision if decision in OrderApproval.Decision.values else None
    page = approvals.inbox(
        actor=request.user, company=company, decision=decision, cursor=request.GET.get("after"), limit=PAGE_SIZE
    )
    for item in page.items:
        item.badge = DECISION_BADGES.get(item.decision, "badge-muted")
    context = {
        "company": company,
        "page": page,
        "decision": decision,
        "decisions": OrderApproval.Decision.choices,
        "may_approve": approvals.may_approve(request.user, company),
    }
    return render(request, "b2b/company/approvals.html", context)


def _approval(request: HttpRequest, company: Company, approval_id: int) -> OrderApproval:
    try:
        approval = approvals.approval_for(request.user, approval_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    if approval.company_id != company.pk:
        raise Http404
    return approval


def _approval_page(request, company, approval, *, form=None, status: int = 200) -> HttpResponse:
    context = {
        "company": company,
        "approval": approval,
        "order": approval.order,
        "lines": list(approval.order.lines.all()),
        "badge": DECISION_BADGES.get(approval.decision, "badge-muted"),
        "form": form or DecisionForm(),
        "may_decide": approval.decision == "pending" and approvals.may_approve(request.user, company),
        "terms": parse_terms(approval.order.payment_terms),
    }
    return render(request, "b2b/company/approval.html", context, status=status)


@login_required
def approval_detail(request: HttpRequest, org_id: int, approval_id: int) -> HttpResponse:
    company = _company(request, org_id)
    return _approval_page(request, company, _approval(request, company, approval_id))


@login_required
@require_POST
def approval_decide(request: HttpRequest, org_id: int, approval_id: int, action: str) -> HttpResponse:
    company = _company(request, org_id)
    approval = _approval(request, company, approval_id)
    decide = {"approve": approvals.approve, "reject": approvals.reject}.get(action)
    if decide is None:
        raise Http404
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            decide(actor=request.user, approval_id=approval.pk, comment=form.cleaned_data["comment"])
        except DomainError as exc:
            _attach(form, exc)
            status = 403 if isinstance(exc, PermissionDenied) else 400
            return _approval_page(request, company, approval, form=form, status=status)
        done = gettext("Order %(number)s approved.") if action == "approve" else gettext("Order %(number)s rejected.")
        messages.success(request, done % {"number": approval.order.number})
        return redirect("b2b:approvals", org_id)
    return _approval_page(request, company, approval, form=form, status=400)
