from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext

from tradeloop.accounts.models import ApiToken, Invitation, Membership, Organization, Role, User
from tradeloop.core.errors import NotAuthenticated, NotFound, PermissionDenied, ValidationFailed


def memberships_of(user: User) -> QuerySet[Membership]:
    if not getattr(user, "is_authenticated", False):
        return Membership.objects.none()
    return Membership.objects.filter(user=user, organization__is_active=True).select_related("organization", "role")


def request_memberships(request) -> list[Membership]:
    """The signed-in visitor's memberships, read once per request (the header and the account menu both ask)."""
    if not hasattr(request, "_tradeloop_memberships"):
        request._tradeloop_memberships = list(memberships_of(getattr(request, "user", None)))
    return request._tradeloop_memberships


def membership(actor: User, organization_id: int) -> Membership:
    """The actor's membership of an organization; another tenant's organization answers 404."""
    if not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated(gettext("sign in first"))
    found = memberships_of(actor).filter(organization_id=organization_id).first()
    if found is None:
        raise NotFound(gettext("organization not found"), field="organization")
    return found


def selling_organization(actor: User, organization_id: int) -> Organization:
    """One of the actor's organizations that sells; another tenant's answers 404, a buying one 400."""
    org = membership(actor, organization_id).organization
    if not org.sells:
        raise ValidationFailed(gettext("this organization does not sell"), field="organization")
    return org


def require(actor: User, organization: Organization | int, capability: str) -> Membership:
    org_id = organization if isinstance(organization, int) else organization.pk
    found = membership(actor, org_id)
    if not found.role.grants(capability):
        raise PermissionDenied(
            gettext("your role (%(role)s) does not allow %(capability)s")
            % {"role": found.role.code, "capability": capability}
        )
    return found


def can(actor: User, organization: Organization, capability: str) -> bool:
    try:
        require(actor, organization, capability)
    except (NotFound, PermissionDenied, NotAuthenticated):
        return False
    return True


def members(actor: User, organization: Organization) -> QuerySet[Membership]:
    membership(actor, organization.pk)
    return organization.memberships.select_related("user", "role").order_by("role__position", "user__email")


def pending_invitations(actor: User, organization: Organization) -> QuerySet[Invitation]:
    require(actor, organization, "team.manage")
    return organization.invitations.filter(state=Invitation.State.PENDING).select_related("role", "invited_by")


def selling_organizations(user: User) -> list[Organization]:
    return [m.organization for m in memberships_of(user) if m.organization.sells]


def roles() -> QuerySet[Role]:
    return Role.objects.all()


def public_store(slug: str) -> Organization:
    org = Organization.objects.filter(slug=slug, is_active=True, kind__in=Organization.SELLING_KINDS).first()
    if org is None:
        raise NotFound(gettext("store not found"))
    return org


def store_filter(slug: str | None) -> Organization | None:
    """The store a public list is narrowed to (`?seller=<slug>`): none without a slug; an unknown one is bad input
    (400 on `seller`), not a missing page."""
    if not slug:
        return None
    try:
        return public_store(slug)
    except NotFound as exc:
        raise ValidationFailed(f"no store {slug!r}", field="seller") from exc


def api_tokens_of(user: User) -> QuerySet[ApiToken]:
    """The user's personal API tokens, active first, newest first (revoked ones kept for the record)."""
    if not getattr(user, "is_authenticated", False):
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=user).order_by("revoked", "-created_at")
