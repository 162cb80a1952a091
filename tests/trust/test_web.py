"""The seller's Verification page in the console and the operator's review in the back office."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests import factories
from tests.trust.conftest import BAD_USCC, COMPANY, png, submitted
from tradeloop.core import states
from tradeloop.notifications.models import Notification
from tradeloop.trust.models import Verification

pytestmark = pytest.mark.django_db


def page_of(org) -> str:
    return reverse("trust:console", args=[org.pk])


def test_a_seller_applies_uploads_and_submits_in_the_console(client, newcomer):
    client.force_login(newcomer.owner)
    first = client.get(page_of(newcomer))
    assert first.status_code == 200 and b'data-tier="unverified"' in first.content
    assert client.post(page_of(newcomer), COMPANY).status_code == 302
    up = client.post(reverse("trust:console_upload", args=[newcomer.pk]), {"kind": "business_licence", "file": png()})
    assert up.status_code == 302
    assert client.post(reverse("trust:console_submit", args=[newcomer.pk])).status_code == 302
    after = client.get(page_of(newcomer))
    assert b'data-tier="pending"' in after.content
    assert Verification.objects.get(organization=newcomer).state == "submitted"


def test_bad_input_shows_form_errors_and_changes_nothing(client, newcomer):
    client.force_login(newcomer.owner)
    bad = client.post(page_of(newcomer), {**COMPANY, "registration_number": BAD_USCC})
    assert bad.status_code == 400 and bad.context["form"].errors["registration_number"]
    assert not Verification.objects.filter(organization=newcomer, legal_name=COMPANY["legal_name"]).exists()
    fake = SimpleUploadedFile("licence.png", b"definitely not a picture", content_type="image/png")
    up = client.post(reverse("trust:console_upload", args=[newcomer.pk]), {"kind": "business_licence", "file": fake})
    assert up.status_code == 400 and up.context["document_form"].errors["file"]
    submit = client.post(reverse("trust:console_submit", args=[newcomer.pk]), follow=True)
    assert submit.status_code == 200
    assert not Verification.objects.filter(organization=newcomer).exclude(state="draft").exists()


def test_the_section_is_for_members_with_org_manage_only(client, newcomer, merchant):
    client.force_login(merchant.owner)
    assert client.get(page_of(newcomer)).status_code == 404
    clerk = factories.member(newcomer, "catalog")
    client.force_login(clerk)
    assert client.get(page_of(newcomer)).status_code == 403


def test_the_nav_shows_verification_to_selling_kinds(client, newcomer):
    client.force_login(newcomer.owner)
    assert page_of(newcomer).encode() in client.get(reverse("console:dashboard", args=[newcomer.pk])).content


def test_the_operator_reviews_the_queue_oldest_first_and_decides(client, staff, newcomer, clock):
    later = factories.seller_with_owner(name="Later Goods", verified=False)
    submitted(newcomer)
    clock.advance(minutes=5)
    submitted(later)
    client.force_login(staff)
    queue = client.get(reverse("admin:trust_verification_changelist"), {"queue": "waiting"})
    assert queue.status_code == 200
    body = queue.content.decode()
    assert body.index("Newcomer Tea") < body.index("Later Goods")
    v = Verification.objects.get(organization=newcomer)
    change = client.get(reverse("admin:trust_verification_change", args=[v.pk]))
    assert change.status_code == 200 and b"Review this application" in change.content
    review_url = reverse("admin:trust_verification_review", args=[v.pk])
    review = client.get(review_url)
    doc = v.documents.get()
    assert reverse("trust:document", args=[doc.pk]).encode() in review.content
    assert client.get(reverse("trust:document", args=[doc.pk])).status_code == 200  # staff opens it
    no_reason = client.post(review_url, {"decision": "rejected", "reason": ""})
    assert no_reason.status_code == 400
    assert Verification.objects.get(pk=v.pk).state == "submitted"
    assert client.post(review_url, {"decision": "more_info", "reason": "Show the seal."}).status_code == 302
    assert Verification.objects.get(pk=v.pk).state == "more_info"
    assert Notification.objects.filter(recipient=newcomer.owner, kind="trust.decision").count() == 1
    assert [e.new for e in states.history(v).order_by("at", "id")] == ["submitted", "more_info"]
    w = Verification.objects.get(organization=later)
    assert (
        client.post(reverse("admin:trust_verification_review", args=[w.pk]), {"decision": "approved"}).status_code
        == 302
    )
    assert Verification.objects.get(pk=w.pk).state == "approved"


def test_the_seller_reads_the_operators_request_and_history(client, staff, newcomer):
    from tradeloop.trust import services

    v = submitted(newcomer)
    services.ask_for_more(actor=staff, verification_id=v.pk, reason="Show the company seal.")
    client.force_login(newcomer.owner)
    page = client.get(page_of(newcomer)).content.decode()
    assert "Show the company seal." in page and "data-submit-verification" in page


def test_admin_queue_query_budget(client, staff, django_assert_max_num_queries):
    for i in range(8):
        submitted(factories.seller_with_owner(name=f"Applicant {i}", verified=False))
    client.force_login(staff)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("admin:trust_verification_changelist")).status_code == 200


def test_start_selling_ends_on_the_verification_page(client, user):
    client.force_login(user)
    done = client.post(reverse("accounts:start_selling"), {"kind": "merchant", "name": "Fresh Start"}, follow=True)
    assert done.status_code == 200
    assert done.redirect_chain[-1][0].endswith("/verification/")
    assert "Get it verified" in done.content.decode()


def test_a_private_seller_sees_the_identity_check(client, db):
    person = factories.seller_with_owner(kind="personal", name="Wang", verified=False)
    client.force_login(person.owner)
    page = client.get(page_of(person))
    assert page.status_code == 200 and b'name="identity_level"' in page.content
    assert b'name="registration_number"' not in page.content
