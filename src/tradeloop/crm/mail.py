"""A campaign's e-mail to one member: the store's words as written (its Chinese version to a reader of Chinese, when
given), framed in the member's language; a coupon campaign adds the code, what it takes off and until when."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import formats, translation

from tradeloop.core.money import Money
from tradeloop.notifications.services import Recipient, _link, _send_once, _site_url

KIND = "crm_campaign"


def _coupon(campaign) -> dict:
    from tradeloop.promotions.models import Promotion

    promotion = Promotion.objects.filter(pk=campaign.promotion_id).first()
    if promotion is None:
        return {}
    off = (
        f"{formats.number_format(promotion.value.normalize())} %"
        if promotion.kind == Promotion.Kind.PERCENT
        else Money(promotion.value, promotion.currency).format()
    )
    return {
        "code": promotion.code,
        "off": off,
        "until": formats.date_format(promotion.ends_at, "DATE_FORMAT") if promotion.ends_at else "",
        "min_spend": Money(promotion.min_spend, promotion.currency).format() if promotion.min_spend else "",
    }


def send(campaign, user) -> bool:
    """True when the e-mail went out now (False: sent before, or the person has no address or left)."""
    if not user.email or not user.is_active:
        return False
    recipient = Recipient(user.email, user.language or settings.LANGUAGE_CODE, user.display_name)
    with translation.override(recipient.language):
        context = {
            "recipient": recipient,
            "campaign": campaign,
            "store": campaign.seller.name,
            "coupon": _coupon(campaign) if campaign.kind == "coupon" else {},
            "store_url": _link("storefront:store", campaign.seller.slug),
            "site_url": _site_url(),
        }
        text = render_to_string("crm/email/campaign.txt", context)
        html = render_to_string("crm/email/campaign.html", context)
    return _send_once(
        kind=KIND, ref=f"campaign:{campaign.pk}", to=user.email, subject=campaign.subject, text=text, html=html
    )
