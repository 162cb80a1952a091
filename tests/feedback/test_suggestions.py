import pytest
from django.urls import reverse

from tests import factories
from tradeloop.core import clock
from tradeloop.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from tradeloop.core.states import history
from tradeloop.feedback import services
from tradeloop.feedback.models import Suggestion

pytestmark = pytest.mark.django_db


def test_a_buyer_posts_a_suggestion_on_a_store_page_and_sees_it(client, store, buyer):
    client.force_login(buyer)
    url = reverse("feedback:store", args=[store.slug])
    answer = client.post(url, {"text": "Open on Sundays"})
    assert answer.status_code == 302
    page = client.get(answer["Location"])
    assert "Open on Sundays" in page.content.decode()
    s = Suggestion.objects.get()
    assert (s.seller, s.product, s.status, s.author) == (store, None, "open", buyer)
    assert history(s).get().new == "open"


def test_the_store_and_product_pages_link_to_their_suggestions(client, store, product, buyer):
    services.suggest(actor=buyer, text="Make it in size XL", product_id=product.pk)
    page = client.get(reverse("storefront:product_short", args=[product.pk]), follow=True).content.decode()
    assert reverse("feedback:product", args=[product.pk]) in page
    assert "data-suggestions" in page
    store_page = client.get(reverse("storefront:store", args=[store.slug])).content.decode()
    assert reverse("feedback:store", args=[store.slug]) in store_page


@pytest.mark.parametrize("text", ["", "x", "y" * 501])
def test_too_short_or_long_text_is_a_form_error(client, store, buyer, text):
    client.force_login(buyer)
    answer = client.post(reverse("feedback:store", args=[store.slug]), {"text": text})
    assert answer.status_code == 400
    assert not Suggestion.objects.exists()


def test_posting_needs_sign_in(client, store):
    answer = client.post(reverse("feedback:store", args=[store.slug]), {"text": "Open on Sundays"})
    assert answer.status_code == 302 and "login" in answer["Location"]
    assert not Suggestion.objects.exists()


def test_five_an_hour_then_a_clear_error_and_again_an_hour_later(client, store, buyer):
    for i in range(5):
        services.suggest(actor=buyer, text=f"idea {i}", store_id=store.pk)
    client.force_login(buyer)
    answer = client.post(reverse("feedback:store", args=[store.slug]), {"text": "one more"})
    assert answer.status_code == 400
    assert "last hour" in answer.content.decode()
    clock.advance(hours=1, seconds=1)
    services.suggest(actor=buyer, text="one more", store_id=store.pk)
    assert Suggestion.objects.count() == 6


def test_a_product_suggestion_belongs_to_its_seller(product, buyer):
    s = services.suggest(actor=buyer, text="Make it in size XL", product_id=product.pk)
    assert s.seller_id == product.seller_id
    other = factories.seller_with_owner()
    with pytest.raises(NotFound):
        services.suggest(actor=buyer, text="x" * 5, product_id=product.pk, store_id=other.pk)


def test_votes_toggle_once_each_and_the_author_cannot_vote(client, store, buyer, voter):
    s = services.suggest(actor=buyer, text="Open on Sundays", store_id=store.pk)
    assert services.vote(actor=voter, suggestion_id=s.pk) is True
    assert services.vote(actor=voter, suggestion_id=s.pk) is False
    s.refresh_from_db()
    assert s.vote_count == 1
    with pytest.raises(Conflict):
        services.vote(actor=buyer, suggestion_id=s.pk)
    client.force_login(voter)
    client.post(reverse("feedback:vote", args=[s.pk]))  # the web's button takes it back
    s.refresh_from_db()
    assert s.vote_count == 0 and not s.votes.exists()
    client.post(reverse("feedback:vote", args=[s.pk]))
    s.refresh_from_db()
    assert s.vote_count == 1


def test_the_merchant_moves_a_suggestion_to_planned_then_done_with_a_reply(store, buyer):
    s = services.suggest(actor=buyer, text="Open on Sundays", store_id=store.pk)
    services.set_status(actor=store.owner, suggestion_id=s.pk, status="planned", reply="From March")
    services.set_status(actor=store.owner, suggestion_id=s.pk, status="done", reply="Open Sundays 10–16")
    s.refresh_from_db()
    assert (s.status, s.reply) == ("done", "Open Sundays 10–16")
    assert [(e.old, e.new) for e in history(s).order_by("pk")] == [
        ("", "open"),
        ("open", "planned"),
        ("planned", "done"),
    ]
    with pytest.raises(Conflict):
        services.set_status(actor=store.owner, suggestion_id=s.pk, status="open")
    with pytest.raises(ValidationFailed):
        services.set_status(actor=store.owner, suggestion_id=s.pk, status="bogus")


def test_only_the_store_staff_with_the_capability_set_a_status(store, buyer):
    s = services.suggest(actor=buyer, text="Open on Sundays", store_id=store.pk)
    other = factories.seller_with_owner()
    with pytest.raises(NotFound):
        services.set_status(actor=other.owner, suggestion_id=s.pk, status="planned")
    catalog_clerk = factories.member(store, "catalog")
    with pytest.raises(PermissionDenied):
        services.set_status(actor=catalog_clerk, suggestion_id=s.pk, status="planned")
    support = factories.member(store, "support")
    services.set_status(actor=support, suggestion_id=s.pk, status="planned")


def test_done_tells_the_author_and_each_voter_once_in_their_language(
    store, buyer, voter, celery_eager, mailoutbox, django_capture_on_commit_callbacks
):
    zh = factories.UserFactory(language="zh-hans")
    s = services.suggest(actor=buyer, text="Open on Sundays", store_id=store.pk)
    services.vote(actor=voter, suggestion_id=s.pk)
    services.vote(actor=zh, suggestion_id=s.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.set_status(actor=store.owner, suggestion_id=s.pk, status="done", reply="Done!")
    assert sorted(m.to[0] for m in mailoutbox) == sorted([buyer.email, voter.email, zh.email])
    chinese = next(m for m in mailoutbox if m.to == [zh.email])
    assert "建议" in chinese.subject
    assert "Open on Sundays" in chinese.body
    from tradeloop.feedback.notices import send_done
    from tradeloop.notifications.models import Notification

    assert send_done(s.pk) == 0  # once per (kind, ref, recipient)
    notices = Notification.objects.filter(kind="suggestion_done")
    assert sorted(n.recipient_id for n in notices) == sorted([buyer.pk, voter.pk, zh.pk])
    assert all(n.link.startswith("/store/") for n in notices)


def test_the_console_desk_lists_and_triages(client, store, buyer):
    s = services.suggest(actor=buyer, text="Open on Sundays", store_id=store.pk)
    client.force_login(store.owner)
    page = client.get(reverse("feedback:console_suggestions", args=[store.pk]))
    assert "Open on Sundays" in page.content.decode()
    answer = client.post(
        reverse("feedback:console_status", args=[store.pk, s.pk]), {"status": "planned", "reply": "Soon"}
    )
    assert answer.status_code == 302
    s.refresh_from_db()
    assert (s.status, s.reply) == ("planned", "Soon")
    other = factories.seller_with_owner()
    client.force_login(other.owner)
    assert client.post(reverse("feedback:console_status", args=[other.pk, s.pk]), {"status": "done"}).status_code == 404


def test_list_pages_have_a_query_budget(client, store, product, django_assert_max_num_queries):
    people = [factories.UserFactory() for _ in range(6)]
    for i, person in enumerate(people):
        services.suggest(actor=person, text=f"idea {i}", store_id=store.pk)
        services.suggest(actor=person, text=f"size {i}", product_id=product.pk)
    client.force_login(people[0])
    with django_assert_max_num_queries(12):
        assert client.get(reverse("feedback:store", args=[store.slug])).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("feedback:product", args=[product.pk]) + "?sort=new").status_code == 200
    client.force_login(store.owner)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("feedback:console_suggestions", args=[store.pk])).status_code == 200


def test_the_page_count_follows_a_new_suggestion(client, store, product, buyer, django_capture_on_commit_callbacks):
    from tradeloop.feedback.selectors import block_count

    assert block_count(product=product) == 0
    with django_capture_on_commit_callbacks(execute=True):
        services.suggest(actor=buyer, text="Make it in size XL", product_id=product.pk)
    assert block_count(product=product) == 1
    assert block_count(seller=store) == 0
