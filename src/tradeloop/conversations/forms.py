from django import forms
from django.utils.translation import gettext_lazy as _

from tradeloop.conversations.services import MAX_BODY


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message"),
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Plain text, up to 2,000 characters."),
    )
