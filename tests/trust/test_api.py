"""seller/verification in the API: read, save, upload, submit; bad input is a 4xx and changes nothing; another
tenant's organization answers 404."""

import json

import pytest

from tests import factories
from tests.api.conftest import Api, assert_error
from tests.trust.conftest import BAD_USCC, COMPANY, pdf, png
from tradeloop.accounts.services import issue_token
from tradeloop.trust import services
from tradeloop.trust.models import Verification

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_of(client):
    def make(user) -> Api:
        _, secret = issue_token(user=user)
        return Api(client, secret)

    return make


def put(api: Api, body: dict):
    return api.client.put(
        api.url("seller/verification"), json.dumps(body), content_type="application/json", headers=api._headers()
    )


def test_apply_upload_submit_and_read(newcomer, api_of):
    api = api_of(newcomer.owner)
    fresh = api.get("seller/verification", {"organization": newcomer.pk})
    assert fresh.status_code == 200
    assert fresh.json()["tier"] == "unverified" and fresh.json()["application"] is None
    saved = put(api, {"organization": newcomer.pk, **COMPANY})
    assert saved.status_code == 200, saved.content
    assert saved.json()["application"]["state"] == "draft"
    up = api.upload(
        "seller/verification/documents", {"organization": newcomer.pk, "kind": "business_licence", "file": png()}
    )
    assert up.status_code == 201, up.content
    assert up.json()["content_type"] == "image/png"
    sent = api.post("seller/verification/submit", {"organization": newcomer.pk})
    assert sent.status_code == 200, sent.content
    body = sent.json()
    assert (body["tier"], body["payouts_held"], len(body["documents"])) == ("pending", True, 1)
    assert [e["new"] for e in body["history"]] == ["submitted"]
    # the file opens for a member, not for anyone else
    assert api.client.get(body["documents"][0]["url"]).status_code == 404  # the test client has no session
    api.client.force_login(newcomer.owner)
    assert api.client.get(body["documents"][0]["url"]).status_code == 200


def test_bad_input_is_a_4xx_and_nothing_changes(newcomer, api_of):
    api = api_of(newcomer.owner)
    assert_error(
        put(api, {"organization": newcomer.pk, "registration_number": BAD_USCC}),
        400,
        "bad_registration_number",
        "registration_number",
    )
    assert not Verification.objects.filter(organization=newcomer).exclude(registration_number="").exists()
    assert_error(put(api, {"organization": newcomer.pk, "surprise": 1}), 422)
    fake = api.upload(
        "seller/verification/documents",
        {"organization": newcomer.pk, "kind": "other", "file": pdf().__class__("x.pdf", b"not a pdf")},
    )
    assert_error(fake, 400, "bad_document", "file")
    assert_error(
        api.upload("seller/verification/documents", {"organization": newcomer.pk, "kind": "selfie", "file": png()}), 422
    )
    assert_error(api.post("seller/verification/submit", {"organization": newcomer.pk}), 400, "application_incomplete")
    put(api, {"organization": newcomer.pk, **COMPANY})
    api.upload(
        "seller/verification/documents", {"organization": newcomer.pk, "kind": "business_licence", "file": png()}
    )
    assert api.post("seller/verification/submit", {"organization": newcomer.pk}).status_code == 200
    assert_error(put(api, {"organization": newcomer.pk, "contact_name": "X"}), 409, "verification_under_review")


def test_another_tenants_organization_is_404_and_a_clerk_403(newcomer, merchant, api_of):
    stranger = api_of(merchant.owner)
    assert_error(stranger.get("seller/verification", {"organization": newcomer.pk}), 404)
    assert_error(put(stranger, {"organization": newcomer.pk, **COMPANY}), 404)
    assert_error(
        stranger.upload("seller/verification/documents", {"organization": newcomer.pk, "kind": "other", "file": png()}),
        404,
    )
    clerk = api_of(factories.member(newcomer, "catalog"))
    assert_error(clerk.get("seller/verification", {"organization": newcomer.pk}), 403)
    anonymous = Api(stranger.client)
    assert_error(anonymous.get("seller/verification", {"organization": newcomer.pk}), 401)


def test_another_tenants_document_is_404(newcomer, merchant, client):
    doc = services.add_document(actor=newcomer.owner, organization=newcomer, kind="business_licence", upload=png())
    client.force_login(merchant.owner)
    assert client.get(f"/verification/documents/{doc.pk}/").status_code == 404


def test_a_stores_public_verified_mark(newcomer, merchant, client):
    api = Api(client)
    assert api.get(f"stores/{merchant.slug}/verification").json()["verified"] is True
    assert api.get(f"stores/{newcomer.slug}/verification").json()["verified"] is False
    assert_error(api.get("stores/nobody/verification"), 404)


def test_read_query_budget(newcomer, api_of, django_assert_max_num_queries):
    api = api_of(newcomer.owner)
    put(api, {"organization": newcomer.pk, **COMPANY})
    for _ in range(5):
        services.add_document(actor=newcomer.owner, organization=newcomer, kind="certificate", upload=png())
    with django_assert_max_num_queries(10):
        assert api.get("seller/verification", {"organization": newcomer.pk}).status_code == 200


def test_the_products_api_says_whether_the_seller_is_verified(client, newcomer, merchant):
    mine = factories.published_product(seller=newcomer, title="Plain pear")
    theirs = factories.published_product(seller=merchant, title="Verified pear")
    api = Api(client)
    found = {p["id"]: p["seller"]["verified"] for p in api.get("products").json()["items"]}
    assert found == {mine.pk: False, theirs.pk: True}
    assert api.get(f"products/{theirs.pk}").json()["seller"]["verified"] is True
