"""Account web forms. They only parse and check shape; the rules live in accounts.services."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from tradeloop.accounts.models import Organization
from tradeloop.core.errors import DomainError


def attach_domain_error(form: forms.Form, error: DomainError) -> None:
    """Show a service's error next to the field it names (or above the form when it names none of ours)."""
    form.add_error(error.field if error.field in form.fields else None, error.message)


class SignUpForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    name = forms.CharField(
        label=_("Your name"),
        max_length=120,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        help_text=_("Shown to sellers and buyers you trade with."),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters; not a common password."),
    )
    password2 = forms.CharField(
        label=_("Password again"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password2") and data["password"] != data["password2"]:
            self.add_error("password2", _("The two passwords do not match."))
        return data


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail"), widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("The e-mail or password is wrong. Both are case-sensitive for the password."),
    }

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()


class ProfileForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=120, required=False)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)


SELLING_KIND_CHOICES = [
    (Organization.Kind.MERCHANT, _("Merchant — sell goods to consumers")),
    (Organization.Kind.SUPPLIER, _("Supplier — sell in bulk to businesses")),
    (Organization.Kind.LOCAL_BUSINESS, _("Local business — deals, vouchers and bookings")),
    (Organization.Kind.BUYER_COMPANY, _("Company buyer — purchase for a company")),
]


class OrganizationForm(forms.Form):
    kind = forms.ChoiceField(label=_("What kind of organization?"), choices=SELLING_KIND_CHOICES)
    name = forms.CharField(label=_("Organization name"), max_length=120)
    city = forms.CharField(label=_("City"), max_length=80, required=False)


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=80,
        help_text=_("Something that tells you where it is used, e.g. “ERP sync”."),
    )
