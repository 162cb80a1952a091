"""Web forms of disputes: they parse what people typed; the rules live in c2c.disputes."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tradeloop.c2c import disputes
from tradeloop.c2c.models import Dispute


def attach(form: forms.Form, error) -> None:
    """A service's error shown on its field, or on top of the form."""
    name = (error.field or "").split(".")[0]
    form.add_error(name if name in form.fields else None, error.message)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to 5 photos; each one is checked (type, size) by the service."""

    widget = MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [f for f in files if f]


class OpenDisputeForm(forms.Form):
    reason = forms.ChoiceField(label=_("What went wrong?"), choices=Dispute.Reason.choices, widget=forms.RadioSelect)
    description = forms.CharField(
        label=_("Tell the seller what happened"), max_length=disputes.MAX_TEXT, widget=forms.Textarea(attrs={"rows": 5})
    )
    photos = PhotosField(
        label=_("Photos"), required=False, help_text=_("Up to 5 photos (JPEG, PNG or WebP, 5 MB each).")
    )


class MessageForm(forms.Form):
    text = forms.CharField(label=_("Message"), max_length=disputes.MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3}))
    photos = PhotosField(
        label=_("Photos"), required=False, help_text=_("Up to 5 photos (JPEG, PNG or WebP, 5 MB each).")
    )


class ReturnForm(forms.Form):
    carrier = forms.CharField(label=_("Carrier"), max_length=60)
    tracking_number = forms.CharField(label=_("Tracking number"), max_length=60)
