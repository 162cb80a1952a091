"""Applications, documents and the operator's decisions: checked input, declared transitions, every step recorded."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests import factories
from tests.trust.conftest import BAD_USCC, COMPANY, GOOD_USCC, applied, pdf, png, submitted
from tradeloop.core import states
from tradeloop.core.errors import Conflict, IllegalTransition, PermissionDenied, ValidationFailed
from tradeloop.notifications.models import Notification
from tradeloop.trust import selectors, services
from tradeloop.trust.models import Tier, Verification

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("code", "ok"),
    [
        (GOOD_USCC, True),
        (GOOD_USCC.lower(), True),
        (BAD_USCC, False),
        (GOOD_USCC[:17], False),
        ("91350100M000100I43", False),  # I is not in the alphabet
        ("", False),
    ],
)
def test_unified_social_credit_code_check_character(code, ok):
    assert services.valid_uscc(code) is ok


def test_a_bad_code_is_refused_for_china_and_nothing_is_saved(newcomer):
    with pytest.raises(ValidationFailed) as err:
        services.save_application(
            actor=newcomer.owner, organization=newcomer, data={**COMPANY, "registration_number": BAD_USCC}
        )
    assert err.value.field == "registration_number" and err.value.code == "bad_registration_number"
    assert not Verification.objects.filter(organization=newcomer, legal_name=COMPANY["legal_name"]).exists()


def test_another_country_only_needs_a_number(newcomer):
    newcomer.country = "DE"
    newcomer.save()
    v = services.save_application(
        actor=newcomer.owner, organization=newcomer, data={**COMPANY, "registration_number": "HRB 12345"}
    )
    assert v.registration_number == "HRB12345"


def test_documents_are_checked_by_content_and_size(newcomer):
    doc = services.add_document(actor=newcomer.owner, organization=newcomer, kind="business_licence", upload=png())
    assert doc.content_type == "image/png" and doc.size > 0
    assert (
        services.add_document(
            actor=newcomer.owner, organization=newcomer, kind="certificate", upload=pdf()
        ).content_type
        == "application/pdf"
    )
    fake = SimpleUploadedFile("licence.png", b"GIF89a not really an image", content_type="image/png")
    with pytest.raises(ValidationFailed) as err:
        services.add_document(actor=newcomer.owner, organization=newcomer, kind="business_licence", upload=fake)
    assert err.value.code == "bad_document"
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024), content_type="application/pdf")
    with pytest.raises(ValidationFailed) as err:
        services.add_document(actor=newcomer.owner, organization=newcomer, kind="other", upload=big)
    assert err.value.code == "document_too_large"
    with pytest.raises(ValidationFailed):
        services.add_document(actor=newcomer.owner, organization=newcomer, kind="selfie", upload=png())
    assert newcomer.verification.documents.count() == 2


def test_documents_are_not_under_the_public_media_folder(newcomer, settings):
    doc = services.add_document(actor=newcomer.owner, organization=newcomer, kind="business_licence", upload=png())
    assert not str(doc.file.path).startswith(str(settings.MEDIA_ROOT))
    with pytest.raises(ValueError):
        doc.file.url  # noqa: B018 - no public URL at all


def test_an_incomplete_application_is_not_submitted(newcomer):
    services.save_application(actor=newcomer.owner, organization=newcomer, data=COMPANY)
    with pytest.raises(ValidationFailed) as err:
        services.submit(actor=newcomer.owner, organization=newcomer)
    assert err.value.field == "documents" and err.value.code == "application_incomplete"
    assert newcomer.verification.state == "draft"


def test_submit_approve_records_every_step_and_tells_the_seller(newcomer, staff):
    v = submitted(newcomer)
    assert selectors.tier_of_org(newcomer).tier == Tier.PENDING
    services.ask_for_more(actor=staff, verification_id=v.pk, reason="The licence photo is blurred.")
    assert selectors.tier_of_org(newcomer).tier == Tier.PENDING
    services.add_document(actor=newcomer.owner, organization=newcomer, kind="business_licence", upload=png("sharp.png"))
    services.submit(actor=newcomer.owner, organization=newcomer)
    services.approve(actor=staff, verification_id=v.pk)
    assert selectors.tier_of_org(newcomer).verified
    assert selectors.is_verified(newcomer)
    steps = [(e.old, e.new, e.actor_id) for e in states.history(v).order_by("at", "id")]
    assert steps == [
        ("draft", "submitted", newcomer.owner.pk),
        ("submitted", "more_info", staff.pk),
        ("more_info", "submitted", newcomer.owner.pk),
        ("submitted", "approved", staff.pk),
    ]
    notes = list(Notification.objects.filter(recipient=newcomer.owner, kind="trust.decision").order_by("pk"))
    assert len(notes) == 2 and "blurred" in notes[0].body


def test_the_seller_is_told_in_their_language(newcomer, staff):
    newcomer.owner.language = "zh-hans"
    newcomer.owner.save()
    v = submitted(newcomer)
    services.reject(actor=staff, verification_id=v.pk, reason="证件不符")
    note = Notification.objects.get(recipient=newcomer.owner, kind="trust.decision")
    assert "证件不符" in note.body and note.title != "Your verification was rejected"


def test_reject_and_ask_need_a_reason_and_only_staff_decide(newcomer, staff):
    v = submitted(newcomer)
    with pytest.raises(ValidationFailed):
        services.reject(actor=staff, verification_id=v.pk, reason="  ")
    with pytest.raises(PermissionDenied):
        services.approve(actor=newcomer.owner, verification_id=v.pk)
    assert Verification.objects.get(pk=v.pk).state == "submitted"


def test_illegal_transitions_raise(newcomer, staff):
    services.save_application(actor=newcomer.owner, organization=newcomer, data=COMPANY)
    v = newcomer.verification
    with pytest.raises(IllegalTransition):
        services.approve(actor=staff, verification_id=v.pk)  # a draft is not decided
    applied(newcomer)
    services.submit(actor=newcomer.owner, organization=newcomer)
    with pytest.raises(Conflict):
        services.submit(actor=newcomer.owner, organization=newcomer)
    with pytest.raises(Conflict):  # under review: frozen
        services.save_application(actor=newcomer.owner, organization=newcomer, data={"contact_name": "X"})


def test_legal_data_change_sends_a_verified_seller_back_to_review(newcomer, staff):
    v = submitted(newcomer)
    services.approve(actor=staff, verification_id=v.pk)
    services.save_application(actor=newcomer.owner, organization=newcomer, data={"contact_phone": "+86 1"})
    assert selectors.tier_of_org(newcomer).verified  # contact: no review
    services.save_application(actor=newcomer.owner, organization=newcomer, data={"legal_name": "New Name Co."})
    assert selectors.tier_of_org(newcomer).tier == Tier.PENDING
    assert not selectors.is_verified(newcomer)
    assert states.history(v).order_by("-at", "-id").first().reason == "legal data changed: back to review"


def test_private_seller_gives_an_identity_level(db, staff):
    person = factories.seller_with_owner(kind="personal", name="Wang", verified=False)
    services.save_application(
        actor=person.owner,
        organization=person,
        data={"legal_name": "Wang Fang", "identity_level": "id_face", "contact_phone": "138"},
    )
    with pytest.raises(ValidationFailed):
        services.submit(actor=person.owner, organization=person)  # the ID front is needed
    services.add_document(actor=person.owner, organization=person, kind="id_front", upload=png("id.png"))
    v = services.submit(actor=person.owner, organization=person)
    services.approve(actor=staff, verification_id=v.pk)
    assert selectors.tier_of_org(person).level == "id_face"
    with pytest.raises(ValidationFailed):
        services.save_application(actor=person.owner, organization=person, data={"identity_level": "dna"})


def test_only_members_with_org_manage_apply_and_buyers_do_not(newcomer, db):
    stranger = factories.UserFactory()
    from tradeloop.core.errors import NotFound

    with pytest.raises(NotFound):
        services.save_application(actor=stranger, organization=newcomer, data=COMPANY)
    clerk = factories.member(newcomer, "catalog")
    with pytest.raises(PermissionDenied):
        services.save_application(actor=clerk, organization=newcomer, data=COMPANY)
    buyer = factories.seller_with_owner(kind="buyer_company")
    with pytest.raises(ValidationFailed):
        services.save_application(actor=buyer.owner, organization=buyer, data=COMPANY)


def test_tier_is_one_query(newcomer, django_assert_num_queries):
    submitted(newcomer)
    with django_assert_num_queries(1):
        assert selectors.tier_of_org(newcomer).tier == Tier.PENDING


def test_verified_ids_cost_no_query_once_cached(newcomer, merchant, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert selectors.verified_ids([newcomer.pk, merchant.pk, None]) == {merchant.pk}


def test_demo_sellers_are_verified_but_zhou_ming_whose_payout_waits(db):
    from tradeloop.accounts.models import Organization
    from tradeloop.demo import loader
    from tradeloop.demo.trust import UNVERIFIED_SELLER
    from tradeloop.payments import holds

    loader.load()
    sellers = Organization.objects.filter(kind__in=Organization.SELLING_KINDS)
    held = {o.name for o in sellers if holds.held(o)}
    assert held == {UNVERIFIED_SELLER}
    for org in sellers.exclude(name=UNVERIFIED_SELLER).filter(kind__in=["merchant", "supplier", "local_business"]):
        assert services.valid_uscc(org.verification.registration_number)
    loader.load()  # again: nothing changes
    assert Verification.objects.count() == sellers.count() - 1
