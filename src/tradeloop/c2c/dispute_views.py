"""Dispute pages: open one from the order page, the thread for buyer and seller, the buyer's and the seller's lists,
and the checked photo download. Thin: forms parse, c2c.disputes decides."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from tradeloop.accounts.console_access import Console, console_page
from tradeloop.c2c import dispute_selectors as selectors
from tradeloop.c2c import disputes
from tradeloop.c2c.dispute_forms import MessageForm, OpenDisputeForm, ReturnForm, attach
from tradeloop.c2c.models import Dispute, DisputePhoto
from tradeloop.core.errors import DomainError, NotFound, ValidationFailed
from tradeloop.core.pagination import Page, keyset_page

SECTION = "c2c:console_disputes"
PAGE_SIZE = 20


def _page(request: HttpRequest, **kwargs) -> Page:
    try:
        return selectors.disputes_page(request.user, cursor=request.GET.get("after"), limit=PAGE_SIZE, **kwargs)
    except ValidationFailed:
        return selectors.disputes_page(request.user, limit=PAGE_SIZE, **kwargs)


@login_required
def dispute_open(request: HttpRequest, order_id: int) -> HttpResponse:
    try:
        order, escrow, _found = selectors.escrow_of(request.user, order_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    if order.buyer_id != request.user.pk:
        raise Http404("order not found")
    if (current := selectors.open_dispute_of(escrow)) is not None:
        return redirect("c2c:dispute", current.pk)
    form = OpenDisputeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            dispute = disputes.open_dispute(
                actor=request.user,
                order_id=order.pk,
                reason=form.cleaned_data["reason"],
                description=form.cleaned_data["description"],
                photos=request.FILES.getlist("photos"),
            )
        except DomainError as exc:
            attach(form, exc)
        else:
            messages.success(request, gettext("Your dispute is open: the seller has been asked to answer."))
            return redirect("c2c:dispute", dispute.pk)
    status = 400 if form.errors else 200
    return render(request, "c2c/dispute_open.html", {"order": order, "form": form}, status=status)


def _thread(request: HttpRequest, dispute: Dispute, side: str, form=None, return_form=None, status: int = 200):
    context = {
        "dispute": dispute,
        "order": dispute.escrow.order,
        "side": side,
        "form": form or MessageForm(),
        "return_form": return_form or ReturnForm(),
        "is_open": dispute.state in Dispute.OPEN,
        "can_talk": dispute.state in Dispute.OPEN,
        "buyer_can_escalate": side == "buyer" and dispute.state in disputes.ANSWERING,
        "buyer_can_withdraw": side == "buyer" and dispute.state in (*disputes.ANSWERING, Dispute.State.ESCALATED),
        "seller_can_refund": side == "seller" and dispute.state in (*disputes.ANSWERING, Dispute.State.ESCALATED),
        "buyer_sends_return": side == "buyer"
        and dispute.state == Dispute.State.RETURNING
        and not dispute.return_tracking,
        "seller_confirms_return": side == "seller"
        and dispute.state == Dispute.State.RETURNING
        and bool(dispute.return_tracking),
        "events": list(disputes.states.history(dispute).order_by("at", "id")),
    }
    return render(request, "c2c/dispute_detail.html", context, status=status)


def _visible(request: HttpRequest, dispute_id: int) -> tuple[Dispute, str]:
    try:
        return selectors.dispute_for(request.user, dispute_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@login_required
def dispute_detail(request: HttpRequest, dispute_id: int) -> HttpResponse:
    dispute, side = _visible(request, dispute_id)
    if request.method != "POST":
        return _thread(request, dispute, side)
    form = MessageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            disputes.add_message(
                actor=request.user,
                dispute_id=dispute.pk,
                text=form.cleaned_data["text"],
                photos=request.FILES.getlist("photos"),
            )
        except NotFound as exc:
            raise Http404(exc.message) from exc
        except DomainError as exc:
            attach(form, exc)
        else:
            messages.success(request, gettext("Message sent."))
            return redirect("c2c:dispute", dispute.pk)
    dispute, side = _visible(request, dispute_id)
    return _thread(request, dispute, side, form=form, status=400)


ACTIONS = {
    "escalate": (disputes.escalate, _("The platform will look at your dispute and decide.")),
    "withdraw": (disputes.withdraw, _("Dispute withdrawn: the time to confirm receipt runs again.")),
    "refund": (disputes.seller_refunds, _("The buyer is refunded in full.")),
    "return-received": (disputes.return_received, _("The buyer is refunded in full.")),
}


@login_required
@require_POST
def dispute_action(request: HttpRequest, dispute_id: int, action: str) -> HttpResponse:
    dispute, side = _visible(request, dispute_id)
    if action == "return":
        form = ReturnForm(request.POST)
        if not form.is_valid():
            return _thread(request, dispute, side, return_form=form, status=400)
        try:
            disputes.submit_return(actor=request.user, dispute_id=dispute.pk, **form.cleaned_data)
        except DomainError as exc:
            attach(form, exc)
            return _thread(request, *_visible(request, dispute_id), return_form=form, status=400)
        messages.success(request, gettext("Thank you: the seller confirms when the item is back."))
        return redirect("c2c:dispute", dispute.pk)
    if action not in ACTIONS:
        raise Http404("no such action")
    service, done = ACTIONS[action]
    try:
        service(actor=request.user, dispute_id=dispute.pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, str(done))
    return redirect("c2c:dispute", dispute.pk)


@login_required
def dispute_photo(request: HttpRequest, dispute_id: int, photo_id: int) -> FileResponse:
    """A photo of a dispute, for its buyer and its seller only (staff see them in the back office the same way)."""
    if request.user.is_staff:
        photo = DisputePhoto.objects.filter(pk=photo_id, message__dispute_id=dispute_id).first()
    else:
        try:
            photo = selectors.photo_for(request.user, dispute_id, photo_id)
        except NotFound:
            photo = None
    if photo is None or not disputes.PHOTOS.exists(photo.image):
        raise Http404("photo not found")
    ext = photo.image.rsplit(".", 1)[-1]
    content_type = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}.get(ext, "application/octet-stream")
    response = FileResponse(disputes.PHOTOS.open(photo.image, "rb"), content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def my_disputes(request: HttpRequest) -> HttpResponse:
    return render(request, "c2c/dispute_list.html", {"page": _page(request, as_seller=False)})


@console_page("orders.view", section=SECTION)
def console_disputes(request: HttpRequest, console: Console) -> HttpResponse:
    qs = selectors.visible_disputes(request.user, as_seller=True).filter(escrow__order__seller=console.organization)
    try:
        page = keyset_page(qs, order=selectors.ORDER, cursor=request.GET.get("after"), limit=PAGE_SIZE)
    except ValidationFailed:
        page = keyset_page(qs, order=selectors.ORDER, cursor=None, limit=PAGE_SIZE)
    return console.render(request, "c2c/console_disputes.html", {"page": page})
