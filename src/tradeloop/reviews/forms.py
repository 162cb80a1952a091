"""Web forms of reviews: they parse what people chose; the rules live in reviews.services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tradeloop.reviews import records, services
from tradeloop.reviews.models import ReviewReport

STAR_CHOICES = [(n, str(n)) for n in range(5, 0, -1)]  # 5 first: the picker shows them right to left


def attach(form: forms.Form, error) -> None:
    """A service's error shown on its field (scores.service → score_service), or on top of the form."""
    name = (error.field or "").replace("scores.", "score_").split(".")[0]
    form.add_error(name if name in form.fields else None, error.message)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to 9 photos; each one is checked (type, size) by the service."""

    widget = MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [f for f in files if f]


def _stars(label, *, required: bool) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=STAR_CHOICES,
        coerce=int,
        empty_value=None,
        required=required,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose 1 to 5 stars.")},
    )


class ReviewForm(forms.Form):
    """Stars, the target kind's sub-scores (score_<key>), text and photos."""

    stars = _stars(_("Overall"), required=True)
    text = forms.CharField(
        label=_("Tell others about your visit"),
        required=False,
        max_length=services.MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    photos = PhotosField(
        label=pgettext_lazy("review", "Photos"),
        required=False,
        help_text=_("Up to 9 photos (JPEG, PNG or WebP, 5 MB each)."),
    )

    def __init__(self, *args, target_kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        if target_kind == "product":
            self.fields["text"].label = _("Tell others about the product")
        kind = records.target_kind(target_kind)
        self.score_keys = kind.score_keys if kind else ()
        for key, label in kind.scores if kind else ():
            self.fields[f"score_{key}"] = _stars(label, required=False)

    @property
    def score_fields(self) -> list:
        return [self[f"score_{key}"] for key in self.score_keys]

    def scores(self) -> dict[str, int]:
        return {
            key: self.cleaned_data[f"score_{key}"]
            for key in self.score_keys
            if self.cleaned_data.get(f"score_{key}") is not None
        }


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label=_("Your public answer"), max_length=services.MAX_REPLY, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReportForm(forms.Form):
    reason = forms.ChoiceField(label=_("What is wrong with it?"), choices=ReviewReport.Reason.choices)
    note = forms.CharField(
        label=_("Anything the operator should know (optional)"),
        required=False,
        max_length=services.MAX_REPORT_NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
