"""Who is working in which organization: the URL carries the organization id, the session remembers the last one.

`console_page(capability)` wraps a view: signs-in check, the member's organization (another tenant's answers 404),
the section's capability (403), and the translation of domain errors the view did not handle into 404/403.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from tradeloop.accounts.console_nav import NavLink, navigation
from tradeloop.accounts.models import Membership, Organization
from tradeloop.accounts.selectors import memberships_of
from tradeloop.core import errors

SESSION_KEY = "console_organization_id"


def selling_memberships(user) -> list[Membership]:
    """The member's organizations that sell (one query, with organization and role)."""
    return [m for m in memberships_of(user) if m.organization.sells]


def remember(request: HttpRequest, organization_id: int) -> None:
    if request.session.get(SESSION_KEY) != organization_id:  # avoid a session write on every page
        request.session[SESSION_KEY] = organization_id


def remembered(request: HttpRequest) -> int | None:
    return request.session.get(SESSION_KEY)


@dataclass
class Console:
    membership: Membership
    memberships: list[Membership]
    section: str
    nav: list[NavLink] = field(init=False)

    def __post_init__(self) -> None:
        self.nav = navigation(self.membership, current_url_name=self.section)

    @property
    def organization(self) -> Organization:
        return self.membership.organization

    @property
    def role(self):
        return self.membership.role

    def can(self, capability: str) -> bool:
        return self.membership.role.grants(capability)

    def render(self, request: HttpRequest, template: str, context: dict | None = None, status: int = 200):
        return render(request, template, {"console": self, **(context or {})}, status=status)


def console_page(capability: str | None = None, *, section: str = "console:dashboard"):
    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        @login_required
        def wrapper(request: HttpRequest, org_id: int, *args, **kwargs) -> HttpResponse:
            memberships = selling_memberships(request.user)
            membership = next((m for m in memberships if m.organization_id == org_id), None)
            if membership is None:
                raise Http404("organization not found")
            if capability and not membership.role.grants(capability):
                raise PermissionDenied(f"your role ({membership.role.code}) does not allow {capability}")
            remember(request, org_id)
            console = Console(membership=membership, memberships=memberships, section=section)
            try:
                return view(request, console, *args, **kwargs)
            except errors.NotFound as exc:
                raise Http404(exc.message) from exc
            except errors.PermissionDenied as exc:
                raise PermissionDenied(exc.message) from exc

        return wrapper

    return decorate
