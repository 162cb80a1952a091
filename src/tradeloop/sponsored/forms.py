"""The console's campaign and wallet forms. They parse; the services decide (and their errors land on fields)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from tradeloop.catalog.models import Category, in_language
from tradeloop.search.models import SearchDocument

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
MAX_CHOICES = 200


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=DATETIME_FORMAT, **kwargs)


def _when(label) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label, required=False, widget=DateTimeInput(), input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"]
    )


def item_choices(org_id: int) -> list[tuple[str, str]]:
    """The seller's products, listings, deals, services and places from the search index, one query."""
    rows = (
        SearchDocument.objects.filter(seller_id=org_id)
        .order_by("source", "-id")
        .values_list("source", "object_id", "title", "title_zh")[:MAX_CHOICES]
    )
    return [(f"{source}:{pk}", in_language(title, title_zh) or f"#{pk}") for source, pk, title, title_zh in rows]


def parse_keywords(text: str) -> list[tuple[str, str | None]]:
    """One keyword a line, optionally `| bid`: "apples | 1.50"."""
    found = []
    for line in (text or "").splitlines():
        line = line.replace("｜", "|").strip()
        if not line:
            continue
        word, _sep, bid = line.partition("|")
        found.append((word.strip(), bid.strip() or None))
    return found


def keywords_text(campaign) -> str:
    return "\n".join(f"{k.text} | {k.bid.normalize():f}" if k.bid else k.text for k in campaign.keywords.all())


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    daily_budget = forms.DecimalField(label=_("Daily budget"), min_value=Decimal("0.01"), decimal_places=2)
    default_bid = forms.DecimalField(label=_("Bid per click"), min_value=Decimal("0.01"), decimal_places=2)
    items = forms.MultipleChoiceField(label=_("Promoted items"), widget=forms.CheckboxSelectMultiple, required=False)
    keywords = forms.CharField(
        label=_("Keywords"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("One a line, in English or Chinese; a bid of its own after a bar: apples | 1.50"),
    )
    categories = forms.ModelMultipleChoiceField(
        label=_("Category pages"), queryset=Category.objects.none(), required=False, widget=forms.SelectMultiple
    )
    starts_at = _when(_("Starts"))
    ends_at = _when(_("Ends"))
    activate = forms.BooleanField(label=_("Start the campaign now"), required=False, initial=True)

    def __init__(self, *args, org_id: int, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].choices = item_choices(org_id)
        self.fields["categories"].queryset = Category.objects.order_by("path")
        self.fields["categories"].label_from_instance = lambda c: in_language(c.name, c.name_zh)
        if editing:
            del self.fields["activate"]

    def clean_items(self) -> list[tuple[str, int]]:
        pairs = []
        for value in self.cleaned_data["items"]:
            source, _sep, pk = value.partition(":")
            pairs.append((source, int(pk)))
        return pairs

    def clean_keywords(self) -> list[tuple[str, str | None]]:
        return parse_keywords(self.cleaned_data["keywords"])


class TopUpForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Amount"), min_value=Decimal("0.01"), max_value=Decimal("1000000"), decimal_places=2
    )
