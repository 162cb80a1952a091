import pytest
from django.utils import timezone

from tests.races import race
from tradeloop.core import clock
from tradeloop.feedback.models import DemandSearch
from tradeloop.feedback.services import note_search
from tradeloop.feedback.terms import normalise

pytestmark = pytest.mark.django_db


def test_terms_fold_case_space_width_and_plurals():
    assert normalise("  Strawberries ") == normalise("strawberry") == "strawberri"
    assert normalise("ＲＥＤ　 Shoes") == normalise("red shoe")
    assert normalise("  草莓  蛋糕 ") == "草莓 蛋糕"
    assert normalise("   ") == ""


def test_searches_for_one_thing_aggregate_per_day_and_region():
    note_search(text="Strawberries", region="Nanjing", results=0)
    note_search(text="strawberry", region="Nanjing", results=2)
    note_search(text="strawberry", region="Shanghai", results=0)
    row = DemandSearch.objects.get(region="Nanjing")
    assert (row.searches, row.last_results, row.day) == (2, 2, timezone.localdate(clock.now()))
    assert DemandSearch.objects.count() == 2
    clock.advance(days=1)
    try:
        note_search(text="strawberry", region="Nanjing", results=0)
    finally:
        clock.reset()
    assert DemandSearch.objects.filter(region="Nanjing").count() == 2


def test_blank_term_and_unknown_category_are_harmless():
    note_search(text="  ", region="", results=0)
    assert not DemandSearch.objects.exists()
    note_search(text="kettle", region="", results=0, category_id=987654)
    assert DemandSearch.objects.get().category_id is None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_first_searches_count_every_one():
    outcomes = race(lambda i: note_search(text="Durian", region="Nanjing", results=0))
    assert outcomes == ["ok"] * 8
    assert DemandSearch.objects.get().searches == 8


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_votes_count_once_per_person():
    from tests import factories
    from tradeloop.feedback import services
    from tradeloop.feedback.models import Suggestion

    store = factories.seller_with_owner()
    author = factories.UserFactory()
    s = services.suggest(actor=author, text="Open on Sundays", store_id=store.pk)
    voters = [factories.UserFactory() for _ in range(4)]
    # 8 racers, each of 4 people votes twice at the same moment: 4 votes in all
    outcomes = race(lambda i: services.vote(actor=voters[i % 4], suggestion_id=s.pk))
    assert outcomes == ["ok"] * 8
    s = Suggestion.objects.get(pk=s.pk)
    assert s.vote_count == s.votes.count() == 4
    race(lambda i: services.unvote(actor=voters[i % 4], suggestion_id=s.pk))
    s.refresh_from_db()
    assert s.vote_count == s.votes.count() == 0
