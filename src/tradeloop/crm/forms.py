"""The console's CRM forms. A segment form has one optional field per kind of condition: each one filled in is a
condition, all combined with AND."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tradeloop.core.errors import ValidationFailed

RULE_FIELDS = (
    ("spent_over", "spent_over"),
    ("min_orders", "min_orders"),
    ("no_order_for_days", "no_order_for_days"),
    ("ordered_within_days", "ordered_within_days"),
    ("city_is", "city_is"),
    ("company_is", "company_is"),
    ("has_company", "has_company"),
    ("has_tag", "has_tag"),
)


class SegmentForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    spent_over = forms.DecimalField(
        label=_("Spent more than"), required=False, min_value=0, max_digits=16, decimal_places=2
    )
    min_orders = forms.IntegerField(label=_("At least this many orders"), required=False, min_value=1, max_value=10**6)
    no_order_for_days = forms.IntegerField(label=_("No order for (days)"), required=False, min_value=1, max_value=3650)
    ordered_within_days = forms.IntegerField(
        label=_("Last order within (days)"), required=False, min_value=1, max_value=3650
    )
    city_is = forms.CharField(label=_("City is"), required=False, max_length=80)
    company_is = forms.CharField(label=_("Company is"), required=False, max_length=120)
    has_company = forms.BooleanField(label=_("Buys for a company"), required=False)
    has_tag = forms.TypedChoiceField(label=_("Has tag"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, tags=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["has_tag"].choices = [("", "—"), *((t.pk, t.name) for t in tags)]
        for field in self.fields.values():
            css = "" if isinstance(field.widget, forms.CheckboxInput) else "input"
            if css:
                field.widget.attrs.setdefault("class", css)

    @staticmethod
    def initial_from(segment) -> dict:
        initial = {"name": segment.name}
        for rule in segment.rules:
            initial[rule["kind"]] = rule.get("value")
        return initial

    def rules(self) -> list[dict]:
        data = self.cleaned_data
        out = []
        for name, kind in RULE_FIELDS:
            value = data.get(name)
            if value in (None, "", False):
                continue
            out.append({"kind": kind, "value": str(value) if name == "spent_over" else value})
        return out

    def take(self, exc: ValidationFailed) -> None:
        """Show a service's error on the field it names (rules[i].value → that condition's field)."""
        field = exc.field or ""
        if field.startswith("rules[") and field.endswith("].value"):
            index = int(field[6 : field.index("]")])
            rules = self.rules()
            field = rules[index]["kind"] if index < len(rules) else None
        elif field == "rules":
            field = None
        self.add_error(field if field in self.fields else None, exc.message)


class CouponForm(forms.Form):
    KINDS = (("percent", _("Percentage off")), ("fixed", _("Fixed amount off")))
    kind = forms.ChoiceField(label=_("Kind"), choices=KINDS, initial="percent")
    value = forms.DecimalField(label=_("Value"), min_value=0.01, max_digits=16, decimal_places=2, initial=10)
    min_spend = forms.DecimalField(
        label=_("Minimum spend"), min_value=0, max_digits=16, decimal_places=2, required=False, initial=0
    )
    valid_days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=365, initial=30)
    subject = forms.CharField(label=_("Subject"), max_length=160, required=False)
    body = forms.CharField(
        label=_("Message"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="coupon", **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "input")


class MessageForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=160)
    body = forms.CharField(label=_("Message"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="message", **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "input")
