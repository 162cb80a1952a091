"""API shapes for identity: tokens, the signed-in user, organizations, members and invitations."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Literal

from django.conf import settings
from ninja import Field, Schema

from tradeloop.accounts.models import Organization, Role
from tradeloop.accounts.roles import CAPABILITIES
from tradeloop.core.api_schemas import Currency, DecimalOut, InputSchema, Text

Language = Literal[tuple(code for code, _ in settings.LANGUAGES)]  # type: ignore[valid-type]
# Anyone may create any kind of organization but the operator's own.
OrganizationKind = Literal[tuple(k for k in Organization.Kind.values if k != Organization.Kind.OPERATOR)]  # type: ignore[valid-type]


def capabilities_of(role: Role) -> list[str]:
    """What a role may do, with the owner's wildcard spelled out so clients need not know about it."""
    return sorted(CAPABILITIES) if "*" in role.capabilities else sorted(role.capabilities)


class TokenIn(InputSchema):
    email: Text = Field(..., max_length=254, examples=["seller@example.com"])
    password: Text = Field(..., max_length=200)
    name: Text = Field("API token", max_length=80, description="A label to recognise the token by later")


class SignUpIn(InputSchema):
    """The web sign-up form's fields, checked by the same rules (one password: a program need not type it twice)."""

    email: Text = Field(..., max_length=254, examples=["buyer@example.com"])
    password: Text = Field(..., max_length=200, description="At least 8 characters, not a common password")
    name: Text = Field("", max_length=120, description="Shown to sellers and buyers you trade with")
    language: Language = Field("en", description="The language of e-mails and pages for this account")
    token_name: Text | None = Field(
        None, max_length=80, description="Also issue an API token with this label (omit: no token)"
    )


class UserOut(Schema):
    id: int
    email: str
    name: str
    language: str


class TokenOut(Schema):
    token: str = Field(..., description="The secret. Shown only this once: store it safely.")
    prefix: str = Field(..., description="The token's first characters, to recognise it in lists")
    name: str
    created_at: datetime
    expires_at: datetime | None

    @staticmethod
    def resolve_token(obj) -> str:
        return obj.secret


class OrganizationRef(Schema):
    id: int
    name: str
    slug: str
    kind: str


class MembershipOut(Schema):
    id: int
    organization: OrganizationRef
    role: str = Field(..., description="Role code: owner, admin, catalog, fulfilment, finance, support, buyer, …")
    capabilities: list[str]

    @staticmethod
    def resolve_role(obj) -> str:
        return obj.role.code

    @staticmethod
    def resolve_capabilities(obj) -> list[str]:
        return capabilities_of(obj.role)


class MeOut(UserOut):
    memberships: list[MembershipOut]


class SignUpOut(Schema):
    user: UserOut
    token: TokenOut | None = Field(None, description="Only when `token_name` was given")


class OrganizationOut(Schema):
    id: int
    kind: str
    name: str
    slug: str
    description: str
    email: str
    phone: str
    address: str
    city: str
    country: str
    latitude: DecimalOut | None = Field(None, description="Decimal degrees as a string")
    longitude: DecimalOut | None = Field(None, description="Decimal degrees as a string")
    currency: str
    created_at: datetime


class MyOrganizationOut(OrganizationOut):
    """An organization the caller belongs to, with the caller's role in it."""

    membership_id: int
    role: str
    capabilities: list[str]


class OrganizationProfileIn(InputSchema):
    description: Text | None = Field(None, max_length=5000)
    email: Text | None = Field(None, max_length=254)
    phone: Text | None = Field(None, max_length=40)
    address: Text | None = Field(None, max_length=240)
    city: Text | None = Field(None, max_length=80)
    country: Text | None = Field(None, min_length=2, max_length=2, description="ISO 3166 code, e.g. CN")
    latitude: Decimal | None = Field(None, ge=-90, le=90, max_digits=9, decimal_places=6)
    longitude: Decimal | None = Field(None, ge=-180, le=180, max_digits=9, decimal_places=6)
    currency: Currency | None = None


class OrganizationIn(OrganizationProfileIn):
    kind: OrganizationKind
    name: Text = Field(..., max_length=120)


class OrganizationPatch(OrganizationProfileIn):
    name: Text | None = Field(None, max_length=120)


class UserRef(Schema):
    id: int
    email: str
    name: str


class MemberOut(Schema):
    id: int = Field(..., description="The membership id (used to change the role or remove the member)")
    user: UserRef
    role: str
    capabilities: list[str]
    created_at: datetime

    @staticmethod
    def resolve_role(obj) -> str:
        return obj.role.code

    @staticmethod
    def resolve_capabilities(obj) -> list[str]:
        return capabilities_of(obj.role)


class InviteIn(InputSchema):
    email: Text = Field(..., max_length=254)
    role: Text = Field(..., max_length=30, examples=["catalog"])


class RoleIn(InputSchema):
    role: Text = Field(..., max_length=30, examples=["fulfilment"])


class InvitationOut(Schema):
    """The invitation itself; its secret token only travels by e-mail to the invitee."""

    id: int
    organization_id: int
    email: str
    role: str
    state: str
    created_at: datetime
    expires_at: datetime

    @staticmethod
    def resolve_role(obj) -> str:
        return obj.role.code
