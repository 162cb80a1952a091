"""Identity endpoints: tokens, the signed-in user, organizations, their members and invitations."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Status

from tradeloop.accounts import selectors, services
from tradeloop.accounts.api_auth import SIGNED_IN
from tradeloop.accounts.models import Membership, Organization
from tradeloop.accounts.schemas import (
    InvitationOut,
    InviteIn,
    MemberOut,
    MembershipOut,
    MeOut,
    MyOrganizationOut,
    OrganizationIn,
    OrganizationPatch,
    RoleIn,
    SignUpIn,
    SignUpOut,
    TokenIn,
    TokenOut,
    capabilities_of,
)
from tradeloop.core.api_schemas import Id, PageOut, PageQuery, errors
from tradeloop.core.pagination import keyset_page

router = Router(auth=SIGNED_IN, tags=["identity"])

# Organization fields that may be cleared with an explicit null; for the others null means "leave as is".
NULLABLE = {"latitude", "longitude"}


def _given(payload) -> dict:
    return {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None or k in NULLABLE}


def _mine(membership: Membership) -> Organization:
    """The organization with the caller's role in it attached, shaped as MyOrganizationOut."""
    organization = membership.organization
    organization.membership_id = membership.pk
    organization.role = membership.role.code
    organization.capabilities = capabilities_of(membership.role)
    return organization


def _organization(request: HttpRequest, organization_id: int) -> Organization:
    return selectors.membership(request.auth, organization_id).organization


@router.post(
    "auth/token",
    auth=None,
    response={201: TokenOut, **errors(401, 422)},
    summary="Exchange e-mail and password for an API token",
)
def obtain_token(request: HttpRequest, payload: TokenIn):
    token, secret = services.obtain_token(email=payload.email, password=payload.password, name=payload.name)
    token.secret = secret
    return Status(201, token)


@router.post(
    "auth/signup",
    auth=None,
    response={201: SignUpOut, **errors(409, 422)},
    summary="Register a buyer account (the web sign-up form's rules), optionally with an API token",
    description="400 `invalid` on `password` when the password is too short, too common or too like the e-mail; "
    "409 `conflict` on `email` when an account with that e-mail exists. The account can buy at once; to sell, "
    "create an organization (`POST organizations`).",
)
def sign_up(request: HttpRequest, payload: SignUpIn):
    user = services.sign_up(
        email=payload.email, password=payload.password, name=payload.name, language=payload.language
    )
    token = None
    if payload.token_name is not None:
        token, secret = services.issue_token(user=user, name=payload.token_name)
        token.secret = secret  # TokenOut shows it this once
    return Status(201, {"user": user, "token": token})


@router.get("me", response={200: MeOut, **errors(401)}, summary="The signed-in user and their organizations")
def me(request: HttpRequest):
    user = request.auth
    return {
        "id": user.pk,
        "email": user.email,
        "name": user.name,
        "language": user.language,
        "memberships": list(selectors.memberships_of(user)),
    }


@router.get(
    "organizations",
    response={200: PageOut[MyOrganizationOut], **errors(400, 401, 422)},
    summary="Organizations I belong to",
)
def my_organizations(request: HttpRequest, page: Query[PageQuery]):
    found = keyset_page(selectors.memberships_of(request.auth), order=("id",), cursor=page.cursor, limit=page.limit)
    return {"items": [_mine(m) for m in found.items], "next_cursor": found.next_cursor}


@router.post(
    "organizations",
    response={201: MyOrganizationOut, **errors(400, 401, 422)},
    summary="Create an organization (you become its owner)",
)
def create_organization(request: HttpRequest, payload: OrganizationIn):
    data = _given(payload)
    organization = services.create_organization(
        actor=request.auth, kind=data.pop("kind"), name=data.pop("name"), **data
    )
    return Status(201, _mine(selectors.membership(request.auth, organization.pk)))


@router.get("organizations/{organization_id}", response={200: MyOrganizationOut, **errors(401, 404, 422)})
def organization_detail(request: HttpRequest, organization_id: Id):
    return _mine(selectors.membership(request.auth, organization_id))


@router.patch(
    "organizations/{organization_id}",
    response={200: MyOrganizationOut, **errors(400, 401, 403, 404, 422)},
    summary="Edit the organization's profile (needs org.manage)",
)
def update_organization(request: HttpRequest, organization_id: Id, payload: OrganizationPatch):
    membership = selectors.membership(request.auth, organization_id)
    services.update_organization(actor=request.auth, organization=membership.organization, **_given(payload))
    return _mine(membership)


@router.get(
    "organizations/{organization_id}/members",
    response={200: PageOut[MemberOut], **errors(400, 401, 404, 422)},
    summary="The organization's team, in joining order",
)
def members(request: HttpRequest, organization_id: Id, page: Query[PageQuery]):
    team = selectors.members(request.auth, _organization(request, organization_id))
    return keyset_page(team, order=("id",), cursor=page.cursor, limit=page.limit)


@router.post(
    "organizations/{organization_id}/members",
    response={201: InvitationOut, **errors(400, 401, 403, 404, 409, 422)},
    summary="Invite someone by e-mail (needs team.manage); the invitation link goes to them by e-mail only",
)
def invite_member(request: HttpRequest, organization_id: Id, payload: InviteIn):
    organization = _organization(request, organization_id)
    invitation, _token = services.invite(
        actor=request.auth, organization=organization, email=payload.email, role=payload.role
    )
    return Status(201, invitation)


@router.patch(
    "organizations/{organization_id}/members/{membership_id}",
    response={200: MemberOut, **errors(400, 401, 403, 404, 409, 422)},
    summary="Change a member's role (needs team.manage)",
)
def change_role(request: HttpRequest, organization_id: Id, membership_id: Id, payload: RoleIn):
    organization = _organization(request, organization_id)
    return services.change_role(
        actor=request.auth, organization=organization, membership_id=membership_id, role=payload.role
    )


@router.delete(
    "organizations/{organization_id}/members/{membership_id}",
    response={204: None, **errors(401, 403, 404, 409, 422)},
    summary="Remove a member (needs team.manage)",
)
def remove_member(request: HttpRequest, organization_id: Id, membership_id: Id):
    organization = _organization(request, organization_id)
    services.remove_member(actor=request.auth, organization=organization, membership_id=membership_id)
    return Status(204, None)


@router.get(
    "organizations/{organization_id}/invitations",
    response={200: list[InvitationOut], **errors(401, 403, 404, 422)},
    summary="Pending invitations (needs team.manage)",
)
def pending_invitations(request: HttpRequest, organization_id: Id):
    return selectors.pending_invitations(request.auth, _organization(request, organization_id))


@router.delete(
    "organizations/{organization_id}/invitations/{invitation_id}",
    response={204: None, **errors(401, 403, 404, 409, 422)},
    summary="Revoke a pending invitation (needs team.manage)",
)
def revoke_invitation(request: HttpRequest, organization_id: Id, invitation_id: Id):
    organization = _organization(request, organization_id)
    services.revoke_invitation(actor=request.auth, organization=organization, invitation_id=invitation_id)
    return Status(204, None)


@router.post(
    "invitations/{token}/accept",
    response={200: MembershipOut, **errors(401, 403, 404, 409)},
    summary="Accept an invitation sent to your e-mail address",
)
def accept_invitation(request: HttpRequest, token: str):
    return services.accept_invitation(actor=request.auth, token=token)
