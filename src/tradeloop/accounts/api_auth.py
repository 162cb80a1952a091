"""Who is calling: a personal API token (`Authorization: Bearer tl_…`) for programs, the session for the web."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth

from tradeloop.accounts.models import User
from tradeloop.accounts.services import user_for_token
from tradeloop.core.errors import PermissionDenied


class BearerToken(HttpBearer):
    """A token issued by `POST auth/token`; revoked, expired or unknown tokens are refused."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


class Session(SessionAuth):
    """The web session. CSRF is checked for unsafe methods, but only when a session actually signs the request in,
    so a program without a session gets a plain 401 instead of a CSRF failure."""

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None
        try:
            return super()._get_key(request)
        except HttpError as exc:
            raise PermissionDenied(
                "CSRF check failed: send the csrftoken cookie's value in X-CSRFToken", code="csrf_failed"
            ) from exc


SIGNED_IN = [BearerToken(), Session()]
