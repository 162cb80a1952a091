"""Quick order and requisition list pages: paste or upload lines, see each resolved, add the valid ones to the
cart or save them under a name; open a saved list, put it into the cart, delete it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_POST

from tradeloop.checkout import cart as carts
from tradeloop.checkout import quick_order, requisitions
from tradeloop.core.errors import DomainError, NotFound

MAX_PREFILL = 2_000  # characters of ?lines= (a reorder link from the console)


def _seller_id(request: HttpRequest) -> int | None:
    value = request.POST.get("seller") or request.GET.get("seller") or ""
    return int(value) if value.isdigit() else None


def _text(request: HttpRequest) -> str:
    upload = request.FILES.get("file")
    if upload is not None:
        if upload.size > quick_order.MAX_UPLOAD_BYTES:
            quick_order.decode_upload(b"x" * (quick_order.MAX_UPLOAD_BYTES + 1))  # raises the size error
        return quick_order.decode_upload(upload.read(quick_order.MAX_UPLOAD_BYTES + 1))
    if request.method == "POST":
        return request.POST.get("text", "")
    return request.GET.get("lines", "")[:MAX_PREFILL].replace("|", "\n")


def _add(request: HttpRequest, resolution: quick_order.Resolution) -> HttpResponse | None:
    lines = [carts.AddLine(line.variant.pk, line.quantity) for line in resolution.valid]
    carts.add_items(owner=carts.CartOwner(user=request.user), lines=lines)
    messages.success(
        request,
        ngettext("%(n)s line added to your cart.", "%(n)s lines added to your cart.", len(lines)) % {"n": len(lines)},
    )
    if resolution.invalid:
        messages.warning(
            request,
            ngettext(
                "%(n)s line could not be added; fix it in quick order.",
                "%(n)s lines could not be added; fix them in quick order.",
                len(resolution.invalid),
            )
            % {"n": len(resolution.invalid)},
        )
    return redirect("checkout:cart")


def _save(request: HttpRequest, resolution: quick_order.Resolution) -> HttpResponse:
    saved = requisitions.save_list(
        actor=request.user,
        name=request.POST.get("name", ""),
        lines=[requisitions.LineIn(line.variant.pk, line.quantity) for line in resolution.valid],
    )
    messages.success(request, gettext("Saved as %(name)s.") % {"name": saved.name})
    return redirect("checkout:requisition_list", saved.pk)


@login_required
def quick_order_page(request: HttpRequest) -> HttpResponse:
    error, resolution, text = None, None, ""
    action = request.POST.get("action", "resolve") if request.method == "POST" else "resolve"
    try:
        text = _text(request)
        if text.strip():
            resolution = quick_order.resolve_text(actor=request.user, text=text, seller_id=_seller_id(request))
            if action == "add":
                return _add(request, resolution)
            if action == "save":
                return _save(request, resolution)
    except DomainError as exc:
        error = exc
    context = {
        "text": text,
        "resolution": resolution,
        "error": error,
        "seller_id": _seller_id(request),
        "max_lines": quick_order.MAX_LINES,
        "max_kb": quick_order.MAX_UPLOAD_BYTES // 1024,
        "name": request.POST.get("name", ""),
    }
    status = error.status if error and request.method == "POST" else 200
    return render(request, "checkout/quick_order.html", context, status=status)


@login_required
def requisition_lists(request: HttpRequest) -> HttpResponse:
    return render(request, "checkout/requisition_lists.html", {"lists": list(requisitions.lists(request.user))})


def _own(request: HttpRequest, list_id: int):
    try:
        return requisitions.own_list(request.user, list_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@login_required
def requisition_list(request: HttpRequest, list_id: int) -> HttpResponse:
    _own(request, list_id)
    found, resolution = requisitions.opened(request.user, list_id)
    return render(request, "checkout/requisition_list.html", {"list": found, "resolution": resolution})


@login_required
@require_POST
def requisition_list_action(request: HttpRequest, list_id: int, action: str) -> HttpResponse:
    found = _own(request, list_id)
    if action not in ("delete", "add-to-cart"):
        raise Http404("unknown action")
    if action == "delete":
        requisitions.delete_list(actor=request.user, list_id=list_id)
        messages.success(request, gettext("%(name)s deleted.") % {"name": found.name})
        return redirect("checkout:requisition_lists")
    try:
        items, skipped = requisitions.add_to_cart(actor=request.user, list_id=list_id)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("checkout:requisition_list", list_id)
    messages.success(
        request,
        ngettext("%(n)s line added to your cart.", "%(n)s lines added to your cart.", len(items)) % {"n": len(items)},
    )
    if skipped:
        messages.warning(
            request,
            ngettext(
                "%(n)s line cannot be ordered now and was left out.",
                "%(n)s lines cannot be ordered now and were left out.",
                len(skipped),
            )
            % {"n": len(skipped)},
        )
    return redirect("checkout:cart")
