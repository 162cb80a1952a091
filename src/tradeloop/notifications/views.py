"""Notification pages (the signed-in person's notices, mark read, open the object) and the console's webhooks.
Thin: services write, selectors read."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from tradeloop.accounts.console_access import Console, console_page
from tradeloop.core.errors import DomainError, NotFound
from tradeloop.notifications import selectors, services, webhooks

PAGE = 20


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    unread = request.GET.get("show") == "unread"
    try:
        page = selectors.inbox_page(request.user, unread=unread, cursor=request.GET.get("cursor"), limit=PAGE)
    except DomainError:  # a malformed cursor shows the first page
        page = selectors.inbox_page(request.user, unread=unread, limit=PAGE)
    context = {"page": page, "unread": unread, "unread_count": selectors.unread_count(request.user, fresh=True)}
    return render(request, "notifications/inbox.html", context)


def _read(request: HttpRequest, notification_id: int):
    try:
        return services.mark_read(actor=request.user, notification_id=notification_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@login_required
def open_one(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Follow a notice's link: it is read from now on."""
    notice = _read(request, notification_id)
    if notice.link and url_has_allowed_host_and_scheme(notice.link, allowed_hosts={request.get_host()}):
        return redirect(notice.link)
    return redirect("notifications:inbox")


@require_POST
@login_required
def read_one(request: HttpRequest, notification_id: int) -> HttpResponse:
    _read(request, notification_id)
    return redirect(_back(request))


@require_POST
@login_required
def read_all(request: HttpRequest) -> HttpResponse:
    done = services.mark_all_read(actor=request.user)
    if done:
        messages.success(request, gettext("All notifications are marked read."))
    return redirect(_back(request))


def _back(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "/notifications/"


# --- the seller console: webhooks ------------------------------------------------------------------------------------


def _events_choice():
    return [(code, label) for code, label in webhooks.EVENTS.items()]


@console_page(webhooks.CAPABILITY, section="notifications:console_webhooks")
def console_webhooks(request: HttpRequest, console: Console) -> HttpResponse:
    org_id = console.organization.pk
    form = {"url": "", "description": "", "events": []}
    errors: dict[str, str] = {}
    created = None
    status = 200
    if request.method == "POST":
        form = {
            "url": request.POST.get("url", "")[:600],
            "description": request.POST.get("description", "")[:200],
            "events": request.POST.getlist("events"),
        }
        try:
            created = webhooks.create_endpoint(actor=request.user, organization_id=org_id, **form)
        except DomainError as exc:
            errors[exc.field or "url"] = exc.message
            status = 400
        else:
            form = {"url": "", "description": "", "events": []}
    context = {
        "endpoints": list(webhooks.endpoints(actor=request.user, organization_id=org_id)),
        "events": _events_choice(),
        "form": form,
        "errors": errors,
        "created": created,  # its secret is shown this once
    }
    return console.render(request, "notifications/console_webhooks.html", context, status=status)


@console_page(webhooks.CAPABILITY, section="notifications:console_webhooks")
def console_endpoint(request: HttpRequest, console: Console, endpoint_id: int) -> HttpResponse:
    try:
        hook = webhooks.endpoint(actor=request.user, endpoint_id=endpoint_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    if hook.organization_id != console.organization.pk:
        raise Http404("webhook endpoint not found")
    back = reverse("notifications:console_endpoint", args=[console.organization.pk, hook.pk])
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "test":
                webhooks.send_test_event(actor=request.user, endpoint_id=hook.pk)
                messages.success(request, gettext("A test event is on its way."))
            elif action == "replay":
                delivery_id = request.POST.get("delivery", "")
                if not delivery_id.isdigit() or not hook.deliveries.filter(pk=int(delivery_id)).exists():
                    raise NotFound(gettext("No such webhook delivery."), field="delivery")
                webhooks.replay(actor=request.user, delivery_id=int(delivery_id))
                messages.success(request, gettext("The delivery is sent again."))
            elif action == "toggle":
                webhooks.update_endpoint(actor=request.user, endpoint_id=hook.pk, active=not hook.active)
            elif action == "delete":
                webhooks.delete_endpoint(actor=request.user, endpoint_id=hook.pk)
                messages.success(request, gettext("The endpoint is deleted."))
                return redirect("notifications:console_webhooks", console.organization.pk)
            else:
                messages.error(request, gettext("Unknown action."))
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect(back)
    recent = list(hook.deliveries.prefetch_related("attempt_log").order_by("-created_at", "-id")[:50])
    labels = dict(_events_choice())
    context = {"hook": hook, "deliveries": recent, "event_labels": [labels.get(e, e) for e in hook.events]}
    return console.render(request, "notifications/console_endpoint.html", context)
