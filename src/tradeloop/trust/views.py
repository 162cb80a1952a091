"""The seller's verification page in the console, and the guarded view that serves a document to its
organization's members and the operator's staff (documents never have a public URL)."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from tradeloop.accounts.console_access import Console, console_page
from tradeloop.accounts.forms import attach_domain_error
from tradeloop.core.errors import DomainError
from tradeloop.trust import selectors, services
from tradeloop.trust.forms import ApplicationForm, DocumentForm
from tradeloop.trust.models import Verification

SECTION = "trust:console"


def _state_label(state: str) -> str:
    try:
        return str(Verification.State(state).label)
    except ValueError:
        return state


def _initial(verification: Verification | None, org) -> dict:
    if verification is None:
        return {"legal_name": "", "contact_email": org.email, "contact_phone": org.phone}
    return {f: getattr(verification, f) for f in (*services.TEXT_FIELDS, "identity_level")}


def _page(request, console: Console, *, form=None, document_form=None, status=200) -> HttpResponse:
    org = console.organization
    verification = selectors.verification_for(actor=request.user, organization=org)
    personal = org.kind == "personal"
    context = {
        "verification": verification,
        "tier": selectors.tier_of_org(org),
        "form": form or ApplicationForm(initial=_initial(verification, org), personal=personal),
        "document_form": document_form
        or DocumentForm(initial={"kind": "id_front" if personal else "business_licence"}),
        "documents": list(verification.documents.all()) if verification else [],
        "history": [(e.at, _state_label(e.new), e.reason) for e in selectors.history(verification)],
        "editable": verification is None or verification.editable,
        "can_submit": verification is not None
        and verification.state in (Verification.State.DRAFT, Verification.State.REJECTED, Verification.State.MORE_INFO),
        "personal": personal,
    }
    return console.render(request, "trust/console.html", context, status=status)


@console_page("org.manage", section=SECTION)
def console(request: HttpRequest, console: Console) -> HttpResponse:
    if request.method != "POST":
        return _page(request, console)
    form = ApplicationForm(request.POST, personal=console.organization.kind == "personal")
    if form.is_valid():
        try:
            was = selectors.tier_of_org(console.organization)
            services.save_application(actor=request.user, organization=console.organization, data=form.cleaned_data)
        except DomainError as exc:
            attach_domain_error(form, exc)
        else:
            now = selectors.tier_of_org(console.organization)
            if was.verified and not now.verified:
                messages.warning(
                    request,
                    gettext("Your legal data changed, so the operator reviews it again. Payouts wait until then."),
                )
            else:
                messages.success(request, gettext("Saved."))
            return redirect(SECTION, console.organization.pk)
    return _page(request, console, form=form, status=400)


@require_POST
@console_page("org.manage", section=SECTION)
def console_upload(request: HttpRequest, console: Console) -> HttpResponse:
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_document(
                actor=request.user,
                organization=console.organization,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
            )
        except DomainError as exc:
            attach_domain_error(form, exc)
        else:
            messages.success(request, gettext("Document uploaded."))
            return redirect(SECTION, console.organization.pk)
    return _page(request, console, document_form=form, status=400)


@require_POST
@console_page("org.manage", section=SECTION)
def console_remove(request: HttpRequest, console: Console, document_id: int) -> HttpResponse:
    try:
        services.remove_document(actor=request.user, organization=console.organization, document_id=document_id)
    except DomainError as exc:
        if exc.status == 404:
            raise Http404(exc.message) from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, gettext("Document removed."))
    return redirect(SECTION, console.organization.pk)


@require_POST
@console_page("org.manage", section=SECTION)
def console_submit(request: HttpRequest, console: Console) -> HttpResponse:
    try:
        services.submit(actor=request.user, organization=console.organization)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(SECTION, console.organization.pk)
    messages.success(request, gettext("Sent to the operator. You hear from us when it is decided."))
    return redirect(SECTION, console.organization.pk)


def document(request: HttpRequest, document_id: int) -> HttpResponse:
    """The file, for its organization's members with org.manage and the operator's staff; 404 for anyone else."""
    if not request.user.is_authenticated:
        raise Http404("document not found")
    doc = selectors.document_for(actor=request.user, document_id=document_id)
    if doc is None:
        raise Http404("document not found")
    response = FileResponse(doc.file.open("rb"), content_type=doc.content_type)
    response["Content-Disposition"] = f'inline; filename="{doc.pk}-{doc.kind}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
