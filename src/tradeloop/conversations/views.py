"""Web pages for customer service: the buyer's inbox and threads, "Ask the seller", and the console's Messages."""

from __future__ import annotations

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from tradeloop.accounts.console_access import Console, console_page
from tradeloop.catalog import selectors as catalog_selectors
from tradeloop.conversations import selectors, services
from tradeloop.conversations.forms import MessageForm
from tradeloop.core import clock
from tradeloop.core.errors import NotFound, ValidationFailed
from tradeloop.core.pagination import Page
from tradeloop.orders.selectors import order_for_buyer

PER_PAGE = 30
SECTION = "conversations:console_inbox"


def _page(load, cursor: str | None) -> Page:
    try:
        return load(cursor)
    except ValidationFailed:  # a damaged or stale cursor: the first page
        return load(None)


def _found(load):
    try:
        return load()
    except NotFound as exc:
        raise Http404(exc.message) from exc


# ---------- buyer ----------


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    page = _page(
        lambda cursor: selectors.buyer_inbox(actor=request.user, cursor=cursor, limit=PER_PAGE),
        request.GET.get("cursor") or None,
    )
    return render(request, "conversations/inbox.html", {"page": page})


def _reply(request: HttpRequest, conversation_id: int) -> tuple[MessageForm, bool]:
    """Handle a reply POST: (the form, whether it was sent)."""
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            services.reply(actor=request.user, conversation_id=conversation_id, body=form.cleaned_data["body"])
        except ValidationFailed as error:
            form.add_error("body", error.message)
        else:
            return form, True
    return form, False


@login_required
def conversation(request: HttpRequest, conversation_id: int) -> HttpResponse:
    thread = _found(lambda: selectors.thread(actor=request.user, conversation_id=conversation_id))
    if thread.side != services.BUYER:  # store staff answer from the console
        return redirect("conversations:console_thread", thread.conversation.seller_id, conversation_id)
    form, status = MessageForm(), 200
    if request.method == "POST":
        form, sent = _reply(request, conversation_id)
        if sent:
            return redirect("conversations:thread", conversation_id)
        status = 400
    services.mark_read(actor=request.user, conversation_id=conversation_id)
    return render(request, "conversations/thread.html", {"thread": thread, "form": form}, status=status)


@login_required
def ask_product(request: HttpRequest, product_id: int) -> HttpResponse:
    product = _found(lambda: catalog_selectors.product_detail(product_id))
    form, status = MessageForm(), 200
    if request.method == "POST":
        form = MessageForm(request.POST)
        if form.is_valid():
            try:
                message = services.ask_about_product(
                    actor=request.user, product_id=product.pk, body=form.cleaned_data["body"]
                )
            except ValidationFailed as error:
                form.add_error("body" if error.field == "body" else None, error.message)
            else:
                flash.success(request, gettext("Your question is sent to %(store)s.") % {"store": product.seller.name})
                return redirect("conversations:thread", message.conversation_id)
        status = 400
    return render(request, "conversations/ask.html", {"product": product, "form": form}, status=status)


@login_required
def ask_order(request: HttpRequest, number: str) -> HttpResponse:
    order = _found(lambda: _buyer_order(request, number))
    existing = selectors.order_conversation_id(actor=request.user, order_id=order.pk)
    if existing and request.method != "POST":
        return redirect("conversations:thread", existing)
    form, status = MessageForm(), 200
    if request.method == "POST":
        form = MessageForm(request.POST)
        if form.is_valid():
            try:
                message = services.ask_about_order(
                    actor=request.user, order_number=order.number, body=form.cleaned_data["body"]
                )
            except ValidationFailed as error:
                form.add_error("body", error.message)
            else:
                return redirect("conversations:thread", message.conversation_id)
        status = 400
    return render(request, "conversations/ask.html", {"order": order, "form": form}, status=status)


def _buyer_order(request: HttpRequest, number: str):
    return order_for_buyer(request.user, number)


# ---------- console ----------


@console_page(services.REPLY, section=SECTION)
def console_inbox(request: HttpRequest, console: Console) -> HttpResponse:
    unread_only = request.GET.get("unread") == "1"
    page = _page(
        lambda cursor: selectors.seller_inbox(
            actor=request.user, seller=console.organization, unread_only=unread_only, cursor=cursor, limit=PER_PAGE
        ),
        request.GET.get("cursor") or None,
    )
    metric = selectors.response_time(seller=console.organization, now=clock.now())
    return console.render(
        request, "conversations/console_inbox.html", {"page": page, "unread_only": unread_only, "metric": metric}
    )


@console_page(services.REPLY, section=SECTION)
def console_thread(request: HttpRequest, console: Console, conversation_id: int) -> HttpResponse:
    thread = selectors.thread(actor=request.user, conversation_id=conversation_id)
    if thread.conversation.seller_id != console.organization.pk or thread.side != services.SELLER:
        raise Http404("conversation not found")
    form, status = MessageForm(), 200
    if request.method == "POST":
        form, sent = _reply(request, conversation_id)
        if sent:
            flash.success(request, gettext("Reply sent."))
            return redirect("conversations:console_thread", console.organization.pk, conversation_id)
        status = 400
    services.mark_read(actor=request.user, conversation_id=conversation_id)
    return console.render(request, "conversations/console_thread.html", {"thread": thread, "form": form}, status=status)
