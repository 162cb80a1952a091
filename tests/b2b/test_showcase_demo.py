"""The demo supplier's showcase: a full profile in English and Chinese and enough inquiries of the last 90 days for
its response figures to show; loading the demo again adds nothing."""

import pytest
from django.urls import reverse

from tradeloop.accounts.models import Organization
from tradeloop.b2b import showcase
from tradeloop.b2b.models import Rfq, SupplierProfile
from tradeloop.demo import b2b, content, loader

pytestmark = pytest.mark.django_db


def test_the_demo_supplier_has_a_showcase_buyers_can_read(client):
    loader.load()
    loader.load()
    supplier = Organization.objects.get(name=content.HENGSHENG.name)
    profile = SupplierProfile.objects.get(organization=supplier)
    assert profile.introduction and profile.introduction_zh and profile.capacity_zh and profile.main_markets_zh
    assert "ISO 9001" in profile.certifications
    assert Rfq.objects.filter(title__in=[t for t, _, _ in b2b.PAST_INQUIRIES]).count() == len(b2b.PAST_INQUIRIES)
    figures = showcase.response_figures(supplier)
    assert figures.shown and 80 <= figures.rate < 100 and figures.within_hours <= 4
    html = client.get(reverse("storefront:store", args=[supplier.slug])).content.decode()
    assert "Responds to" in html and "IATF 16949" in html and "Send inquiry" in html
