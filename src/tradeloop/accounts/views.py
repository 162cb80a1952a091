"""Account pages: sign up, sign in/out, profile, starting to sell, API tokens, invitations.

Views parse forms, call accounts.services / accounts.selectors and shape the page; domain errors become form
errors or messages.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView, LogoutView
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tradeloop.accounts import selectors, services
from tradeloop.accounts.console_nav import console_home_url
from tradeloop.accounts.forms import (
    EmailAuthenticationForm,
    OrganizationForm,
    ProfileForm,
    SignUpForm,
    TokenForm,
    attach_domain_error,
)
from tradeloop.core.errors import DomainError, NotFound

NEW_TOKEN_SESSION_KEY = "accounts:new-token"


def _safe_next(request: HttpRequest, fallback: str) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return wanted
    return fallback


def _console_or_profile() -> str:
    return console_home_url() or reverse("accounts:profile")


def _verification_page(org) -> str:
    """Where a new seller lands: its verification page (the trust app's console section)."""
    return reverse("trust:console", args=[org.pk])


def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(_safe_next(request, reverse("storefront:home")))
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.sign_up(
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
                name=form.cleaned_data["name"],
                language=get_language() or settings.LANGUAGE_CODE,
            )
        except DomainError as exc:
            attach_domain_error(form, exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome to Tradeloop, %(name)s!") % {"name": user.display_name})
            return redirect(_safe_next(request, reverse("storefront:home")))
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/signup.html", {"form": form, "next": _safe_next(request, "")}, status=status)


class SignInView(LoginView):
    form_class = EmailAuthenticationForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class SignOutView(LogoutView):
    """POST only (Django's LogoutView refuses GET)."""


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = ProfileForm(request.POST or None, initial={"name": user.name, "language": user.language})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_profile(actor=user, **form.cleaned_data)
        except DomainError as exc:
            attach_domain_error(form, exc)
        else:
            messages.success(request, _("Your profile is saved."))
            response = redirect("accounts:profile")
            # the chosen language applies to the site at once, as the switcher in the footer does
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, user.language, samesite="Lax")
            return response
    return _profile_page(request, profile_form=form, status=400 if request.method == "POST" else 200)


def _profile_page(request: HttpRequest, *, profile_form=None, org_form=None, status: int = 200) -> HttpResponse:
    user = request.user
    memberships = list(selectors.memberships_of(user).order_by("organization__name"))
    context = {
        "profile_form": profile_form or ProfileForm(initial={"name": user.name, "language": user.language}),
        "org_form": org_form or OrganizationForm(),
        "memberships": memberships,
        "has_personal": any(m.organization.kind == "personal" for m in memberships),
    }
    return render(request, "accounts/profile.html", context, status=status)


@login_required
@require_POST
def start_selling(request: HttpRequest) -> HttpResponse:
    form = OrganizationForm(request.POST)
    if form.is_valid():
        try:
            org = services.create_organization(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            attach_domain_error(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s is ready. Get it verified: verified stores show a badge and are paid out.")
                % {"name": org.name},
            )
            return redirect(_verification_page(org))
    return _profile_page(request, org_form=form, status=400)


@login_required
@require_POST
def sell_personally(request: HttpRequest) -> HttpResponse:
    org = services.personal_seller_profile(actor=request.user)
    messages.success(
        request,
        _("You can now sell as a private person. Get verified: verified sellers show a badge and are paid out."),
    )
    return redirect(_verification_page(org))


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token, secret = services.issue_token(user=request.user, name=form.cleaned_data["name"])
        # shown exactly once, on the page this redirect lands on
        request.session[NEW_TOKEN_SESSION_KEY] = {"name": token.name, "secret": secret}
        return redirect("accounts:tokens")
    context = {
        "form": form,
        "tokens": selectors.api_tokens_of(request.user),
        "new_token": request.session.pop(NEW_TOKEN_SESSION_KEY, None),
    }
    return render(request, "accounts/tokens.html", context, status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    try:
        services.revoke_token(actor=request.user, token_id=token_id)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    messages.success(request, _("The token is revoked. Programs using it can no longer sign in."))
    return redirect("accounts:tokens")


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    try:
        found = services.invitation_for_token(token)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    status = 200
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('accounts:login')}?next={request.path}")
        try:
            services.accept_invitation(actor=request.user, token=token)
        except DomainError as exc:
            messages.error(request, _invitation_problem(exc))
            status = exc.status
        else:
            messages.success(request, _("You joined %(org)s.") % {"org": found.organization.name})
            return redirect(_console_or_profile())
        found.refresh_from_db(fields=["state"])
    context = {"invitation": found, "token": token, "is_pending": found.state == found.State.PENDING}
    return render(request, "accounts/invitation.html", context, status=status)


def _invitation_problem(error: DomainError) -> str:
    if error.status == 403:
        return _("This invitation was sent to another e-mail address. Sign in with that address to accept it.")
    if error.status == 409:
        return _("This invitation can no longer be accepted. Ask for a new one.")
    return _("This invitation cannot be accepted.")
