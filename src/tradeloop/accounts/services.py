from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext

from tradeloop.accounts.models import ApiToken, Invitation, Membership, Organization, Role, User
from tradeloop.accounts.selectors import require
from tradeloop.core import clock, states
from tradeloop.core.errors import Conflict, NotAuthenticated, NotFound, PermissionDenied, ValidationFailed

TOKEN_PREFIX = "tl_"


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _clean_email(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationFailed(gettext("enter a valid e-mail address"), field="email") from exc
    return email


def sign_up(*, email: str, password: str, name: str = "", language: str = "en") -> User:
    email = _clean_email(email)
    try:
        validate_password(password, User(email=email, name=name))
    except ValidationError as exc:
        raise ValidationFailed(" ".join(exc.messages), field="password") from exc
    if User.objects.filter(email=email).exists():
        raise Conflict(gettext("an account with this e-mail already exists"), field="email")
    try:
        with transaction.atomic():
            return User.objects.create_user(email, password, name=name.strip()[:120], language=language)
    except IntegrityError as exc:
        raise Conflict(gettext("an account with this e-mail already exists"), field="email") from exc


def unique_slug(name: str, *, model=Organization, field: str = "slug") -> str:
    base = slugify(name)[:60] or "org"
    slug, n = base, 1
    while model.objects.filter(**{field: slug}).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def create_organization(*, actor: User, kind: str, name: str, **profile) -> Organization:
    if not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated(gettext("sign in first"))
    if kind not in Organization.Kind.values or kind == Organization.Kind.OPERATOR:
        raise ValidationFailed(gettext("unknown organization kind %(kind)s") % {"kind": repr(kind)}, field="kind")
    name = (name or "").strip()
    if not name:
        raise ValidationFailed(gettext("give the organization a name"), field="name")
    org = Organization(kind=kind, name=name[:120], slug=unique_slug(name), **_profile_fields(profile))
    org.save()
    Membership.objects.create(user=actor, organization=org, role=Role.objects.get(code="owner"))
    states.record(org, new="created", actor=actor)
    return org


PROFILE_FIELDS = (
    "description",
    "email",
    "phone",
    "address",
    "city",
    "country",
    "latitude",
    "longitude",
    "currency",
)


def _profile_fields(profile: dict) -> dict:
    unknown = set(profile) - set(PROFILE_FIELDS)
    if unknown:
        raise ValidationFailed(
            gettext("unknown field %(field)s") % {"field": repr(sorted(unknown)[0])}, field=sorted(unknown)[0]
        )
    return profile


@transaction.atomic
def update_organization(*, actor: User, organization: Organization, **changes) -> Organization:
    require(actor, organization, "org.manage")
    if "name" in changes:
        name = (changes.pop("name") or "").strip()
        if not name:
            raise ValidationFailed(gettext("give the organization a name"), field="name")
        organization.name = name[:120]
    for field, value in _profile_fields(changes).items():
        setattr(organization, field, value)
    organization.save()
    return organization


@transaction.atomic
def personal_seller_profile(*, actor: User) -> Organization:
    """A private person sells through a personal organization, made on first use."""
    existing = actor.memberships.filter(organization__kind=Organization.Kind.PERSONAL).first()
    if existing:
        return existing.organization
    return create_organization(actor=actor, kind=Organization.Kind.PERSONAL, name=actor.display_name)


def _role(code: str) -> Role:
    role = Role.objects.filter(code=code).first()
    if role is None:
        raise ValidationFailed(gettext("unknown role %(role)s") % {"role": repr(code)}, field="role")
    return role


def _guard_owner_role(actor_membership: Membership, role: Role) -> None:
    if role.code == "owner" and actor_membership.role.code != "owner":
        raise PermissionDenied(gettext("only an owner can make someone an owner"))


@transaction.atomic
def invite(*, actor: User, organization: Organization, email: str, role: str) -> tuple[Invitation, str]:
    mine = require(actor, organization, "team.manage")
    email = _clean_email(email)
    chosen = _role(role)
    _guard_owner_role(mine, chosen)
    if organization.memberships.filter(user__email=email).exists():
        raise Conflict(gettext("%(email)s is already a member") % {"email": email}, field="email")
    if organization.invitations.filter(email=email, state=Invitation.State.PENDING).exists():
        raise Conflict(gettext("%(email)s already has a pending invitation") % {"email": email}, field="email")
    token = secrets.token_urlsafe(24)
    invitation = Invitation.objects.create(
        organization=organization,
        email=email,
        role=chosen,
        token_hash=_hash(token),
        invited_by=actor,
        expires_at=clock.now() + timedelta(days=settings.TRADELOOP_INVITATION_DAYS),
    )
    states.record(invitation, new=Invitation.State.PENDING, actor=actor)
    send_mail(
        f"You are invited to join {organization.name} on Tradeloop",
        f"{actor.display_name} invited you to join {organization.name} as {chosen.name}.\n\n"
        f"Accept: /accounts/invitations/{token}/\n",
        None,
        [email],
        fail_silently=True,
    )
    return invitation, token


def invitation_for_token(token: str) -> Invitation:
    invitation = Invitation.objects.select_related("organization", "role").filter(token_hash=_hash(token)).first()
    if invitation is None:
        raise NotFound(gettext("invitation not found"), field="token")
    return invitation


@transaction.atomic
def accept_invitation(*, actor: User, token: str) -> Membership:
    if not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated(gettext("sign in first"))
    invitation = Invitation.objects.select_for_update().filter(token_hash=_hash(token)).first()
    if invitation is None:
        raise NotFound(gettext("invitation not found"), field="token")
    if invitation.state == Invitation.State.PENDING and invitation.expires_at <= clock.now():
        raise Conflict(gettext("this invitation has expired; ask for a new one"), field="token")  # the sweep records it
    if invitation.state != Invitation.State.PENDING:
        raise Conflict(gettext("this invitation is %(state)s") % {"state": invitation.state}, field="token")
    if invitation.email != actor.email:
        raise PermissionDenied(gettext("this invitation was sent to another e-mail address"))
    membership, _ = Membership.objects.get_or_create(
        user=actor, organization=invitation.organization, defaults={"role": invitation.role}
    )
    states.transition(invitation, Invitation.State.ACCEPTED, actor=actor)
    return membership


@transaction.atomic
def revoke_invitation(*, actor: User, organization: Organization, invitation_id: int) -> Invitation:
    require(actor, organization, "team.manage")
    invitation = organization.invitations.select_for_update().filter(pk=invitation_id).first()
    if invitation is None:
        raise NotFound(gettext("invitation not found"))
    states.transition(invitation, Invitation.State.REVOKED, actor=actor)
    return invitation


def sweep_expired_invitations(now: datetime) -> int:
    done = 0
    due = Invitation.objects.filter(state=Invitation.State.PENDING, expires_at__lte=now)
    for invitation_id in due.values_list("id", flat=True):
        with transaction.atomic():
            invitation = Invitation.objects.select_for_update().get(pk=invitation_id)
            if invitation.state == Invitation.State.PENDING and invitation.expires_at <= now:
                states.transition(invitation, Invitation.State.EXPIRED, reason="expired")
                done += 1
    return done


def _member(organization: Organization, membership_id: int) -> Membership:
    found = organization.memberships.select_for_update().select_related("role", "user").filter(pk=membership_id).first()
    if found is None:
        raise NotFound(gettext("member not found"))
    return found


def _ensure_an_owner_remains(organization: Organization, leaving: Membership) -> None:
    if (
        leaving.role.code == "owner"
        and not organization.memberships.filter(role__code="owner").exclude(pk=leaving.pk).exists()
    ):
        raise Conflict(gettext("an organization needs at least one owner"), field="role")


@transaction.atomic
def change_role(*, actor: User, organization: Organization, membership_id: int, role: str) -> Membership:
    mine = require(actor, organization, "team.manage")
    member = _member(organization, membership_id)
    chosen = _role(role)
    _guard_owner_role(mine, chosen)
    if member.role.code == "owner" and mine.role.code != "owner":
        raise PermissionDenied(gettext("only an owner can change an owner's role"))
    if chosen.code != "owner":
        _ensure_an_owner_remains(organization, member)
    old = member.role.code
    member.role = chosen
    member.save(update_fields=["role"])
    states.record(member, old=old, new=chosen.code, actor=actor, reason="role changed")
    return member


@transaction.atomic
def remove_member(*, actor: User, organization: Organization, membership_id: int) -> None:
    mine = require(actor, organization, "team.manage")
    member = _member(organization, membership_id)
    if member.role.code == "owner" and mine.role.code != "owner":
        raise PermissionDenied(gettext("only an owner can remove an owner"))
    _ensure_an_owner_remains(organization, member)
    states.record(member, old=member.role.code, new="removed", actor=actor)
    member.delete()


def issue_token(*, user: User, name: str = "API token", expires_at: datetime | None = None) -> tuple[ApiToken, str]:
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=(name or "API token")[:80],
        prefix=secret[:10],
        key_hash=_hash(secret),
        expires_at=expires_at,
    )
    return token, secret


def obtain_token(*, email: str, password: str, name: str = "API token") -> tuple[ApiToken, str]:
    user = authenticate(username=(email or "").strip().lower(), password=password or "")
    if user is None:
        raise NotAuthenticated(gettext("e-mail or password is wrong"))
    return issue_token(user=user, name=name)


def revoke_token(*, actor: User, token_id: int) -> None:
    updated = ApiToken.objects.filter(pk=token_id, user=actor).update(revoked=True)
    if not updated:
        raise NotFound(gettext("token not found"))


def user_for_token(secret: str) -> User | None:
    token = ApiToken.objects.select_related("user").filter(key_hash=_hash(secret or ""), revoked=False).first()
    now = clock.now()
    if token is None or not token.user.is_active or (token.expires_at and token.expires_at <= now):
        return None
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def update_profile(*, actor: User, name: str, language: str) -> User:
    """A person edits their own display name and preferred language."""
    if not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated(gettext("sign in first"))
    if language not in dict(settings.LANGUAGES):
        raise ValidationFailed(
            gettext("unsupported language %(language)s") % {"language": repr(language)}, field="language"
        )
    actor.name = (name or "").strip()[:120]
    actor.language = language
    actor.save(update_fields=["name", "language"])
    return actor
