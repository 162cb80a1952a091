"""The back office shows negotiations, their versions and lines, and changes none of them."""

import pytest
from django.urls import reverse

from tests import factories


@pytest.mark.django_db
def test_the_back_office_reads_a_negotiation(client, quote):
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    v1 = quote.proposals.get()
    pages = [
        reverse("admin:negotiation_negotiation_change", args=[quote.pk]),
        reverse("admin:negotiation_proposal_change", args=[v1.pk]),
        reverse("admin:negotiation_proposalline_changelist") + "?q=SKU",
        reverse("admin:negotiation_proposal_changelist") + f"?q={quote.pk}",
    ]
    for url in pages:
        assert client.get(url).status_code == 200, url
    assert client.get(reverse("admin:negotiation_negotiation_add")).status_code == 403
    assert client.post(reverse("admin:negotiation_proposal_change", args=[v1.pk]), {"note": "x"}).status_code == 403
