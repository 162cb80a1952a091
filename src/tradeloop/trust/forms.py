from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tradeloop.trust.models import Document, IdentityLevel


class ApplicationForm(forms.Form):
    legal_name = forms.CharField(label=_("Legal name"), max_length=200, required=False)
    registration_number = forms.CharField(
        label=_("Registration number"),
        max_length=40,
        required=False,
        help_text=_("In China the 18-character unified social credit code on the business licence."),
    )
    registered_address = forms.CharField(label=_("Registered address"), max_length=300, required=False)
    identity_level = forms.ChoiceField(
        label=_("Identity check"), choices=[("", "—"), *IdentityLevel.choices], required=False
    )
    contact_name = forms.CharField(label=_("Contact name"), max_length=120, required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=40, required=False)
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)

    COMPANY = ("legal_name", "registration_number", "registered_address")
    PERSONAL = ("legal_name", "identity_level")

    def __init__(self, *args, personal: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.personal = personal
        if personal:
            del self.fields["registration_number"]
            del self.fields["registered_address"]
            self.fields["legal_name"].label = _("Full legal name")
            self.fields["identity_level"].help_text = _(
                "How the operator checks who you are: your phone number, your ID document, or your ID document and a "
                "photo of your face."
            )
        else:
            del self.fields["identity_level"]


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of document"), choices=Document.Kind.choices)
    file = forms.FileField(
        label=_("File"), help_text=_("A PDF or a picture (JPEG, PNG or WebP), at most 5 MB."), allow_empty_file=False
    )
