"""Template helpers of places: the text of a bilingual field in the reader's language, a distance as people say it."""

from __future__ import annotations

from django import template
from django.utils.formats import number_format
from django.utils.translation import get_language

register = template.Library()


@register.filter
def localized(obj, name: str) -> str:
    """`{{ place|localized:"district" }}`: the field in the active language, else the other one."""
    return obj.localized(name) if obj is not None else ""


@register.filter
def distance(km) -> str:
    """0.85 → "850 m", 2.345 → "2.3 km" (empty without a distance)."""
    if km is None:
        return ""
    if km < 1:
        return f"{max(10, round(km * 1000, -1)):.0f} m"
    return f"{number_format(km, 1)} km"


@register.filter
def full_address(place) -> str:
    """As people write it: "中山路18号" after "南京玄武区" in Chinese, "18 Zhongshan Road, Xuanwu, Nanjing" in English."""
    parts = [place.localized("address"), place.localized("district"), place.localized("city")]
    if (get_language() or "").startswith("zh"):
        return "".join(reversed([p for p in parts if p]))
    return ", ".join(p for p in parts if p)
