"""Every write of the feedback app: one function per use case."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext

from tradeloop.accounts.models import Membership, Organization, User
from tradeloop.catalog.models import Category, Product
from tradeloop.core import clock, states
from tradeloop.core.errors import Conflict, DomainError, NotFound, PermissionDenied, ValidationFailed
from tradeloop.orders.models import Order

from .errors import Code
from .models import DemandSearch, OrderFeedback, Suggestion, SuggestionVote
from .selectors import count_key
from .terms import normalise

Status = Suggestion.Status
MIN_TEXT, MAX_TEXT = 2, 500
MAX_REPLY = 1000
TRIAGE_CAPABILITIES = ("support.reply", "orders.view")


class TooManySuggestions(DomainError):
    status = 429
    code = Code.TOO_MANY_SUGGESTIONS


def max_per_hour() -> int:
    return int(getattr(settings, "TRADELOOP_SUGGESTIONS_PER_HOUR", 5))


def may_triage(membership: Membership | None) -> bool:
    return membership is not None and any(membership.role.grants(c) for c in TRIAGE_CAPABILITIES)


def _text(value: str, *, field: str = "text", low: int = MIN_TEXT, high: int = MAX_TEXT) -> str:
    text = (value or "").replace("\x00", "").strip()
    if len(text) < low:
        raise ValidationFailed(gettext("Write at least %(n)s characters.") % {"n": low}, field=field)
    if len(text) > high:
        raise ValidationFailed(gettext("Write at most %(n)s characters.") % {"n": high}, field=field)
    return text


def note_search(*, text: str, region: str, results: int, category_id: int | None = None) -> None:
    """Count one search that returned few (or no) results into today's row for its normalised term and region.

    One guarded UPDATE … searches = searches + 1; when there is no row yet, an INSERT; when another process inserted
    it in between (IntegrityError on the unique key), the UPDATE again. Never raises for a blank term."""
    term = normalise(text)
    if not term:
        return
    now = clock.now()
    day = timezone.localdate(now)
    region = (region or "").strip()[:80]
    key = int(category_id or 0)
    results = max(int(results or 0), 0)
    match = DemandSearch.objects.filter(term=term, region=region, category_key=key, day=day)
    changes = {"searches": F("searches") + 1, "last_results": results, "last_seen": now}
    if match.update(**changes):
        return
    if category_id and not Category.objects.filter(pk=category_id).exists():
        category_id, key = None, 0  # an unknown category must not fail the searcher's transaction at commit
        match = DemandSearch.objects.filter(term=term, region=region, category_key=0, day=day)
        if match.update(**changes):
            return
    try:
        with transaction.atomic():
            DemandSearch.objects.create(
                term=term,
                region=region,
                category_id=category_id or None,
                category_key=key,
                day=day,
                searches=1,
                last_results=results,
                sample=" ".join((text or "").split())[:120],
                last_seen=now,
            )
    except IntegrityError:
        match.update(**changes)


# --- suggestions ----------------------------------------------------------------------------------------------------


def _store(store_id: int) -> Organization:
    store = Organization.objects.filter(pk=store_id, is_active=True, kind__in=Organization.SELLING_KINDS).first()
    if store is None:
        raise NotFound(gettext("No such store."), field="store")
    return store


@transaction.atomic
def suggest(*, actor: User, text: str, store_id: int | None = None, product_id: int | None = None) -> Suggestion:
    """Post a public suggestion to a store, or about one of its published products (then the store is the product's
    seller). At most `max_per_hour()` per person in an hour."""
    text = _text(text)
    if product_id:
        product = Product.objects.published().select_related("seller").filter(pk=product_id).first()
        if product is None or (store_id and product.seller_id != store_id):
            raise NotFound(gettext("No such product."), field="product")
        store = product.seller
    elif store_id:
        product, store = None, _store(store_id)
    else:
        raise ValidationFailed(gettext("Say which store or product the suggestion is for."), field="store")
    User.objects.select_for_update().filter(pk=actor.pk).first()  # one person's posts one at a time: the limit holds
    since = clock.now() - timedelta(hours=1)
    if Suggestion.objects.filter(author=actor, created_at__gte=since).count() >= max_per_hour():
        raise TooManySuggestions(
            gettext("You have posted %(n)s suggestions in the last hour: please wait a while.") % {"n": max_per_hour()}
        )
    suggestion = Suggestion.objects.create(
        author=actor, seller=store, product=product, text=text, language=(translation.get_language() or "")[:10]
    )
    states.record(suggestion, new=suggestion.status, actor=actor)
    key = count_key(seller_id=store.pk, product_id=product.pk if product else None)
    transaction.on_commit(lambda: cache.delete(key))
    return suggestion


def _votable(suggestion_id: int) -> Suggestion:
    suggestion = Suggestion.objects.filter(pk=suggestion_id).first()
    if suggestion is None:
        raise NotFound(gettext("No such suggestion."), field="suggestion")
    return suggestion


def vote(*, actor: User, suggestion_id: int) -> bool:
    """Add the actor's vote (once each: a second vote changes nothing). True when a vote was added."""
    suggestion = _votable(suggestion_id)
    if suggestion.author_id == actor.pk:
        raise Conflict(gettext("You cannot vote for your own suggestion."), code=Code.OWN_SUGGESTION)
    if suggestion.is_closed:
        raise Conflict(gettext("This suggestion is closed: votes are no longer taken."), code=Code.SUGGESTION_CLOSED)
    try:
        with transaction.atomic():
            SuggestionVote.objects.create(suggestion=suggestion, voter=actor)
            Suggestion.objects.filter(pk=suggestion.pk).update(vote_count=F("vote_count") + 1)
    except IntegrityError:
        return False  # voted already (perhaps a moment ago, from another tab)
    return True


@transaction.atomic
def unvote(*, actor: User, suggestion_id: int) -> bool:
    """Take the actor's vote back. True when there was one."""
    suggestion = _votable(suggestion_id)
    deleted, _ = SuggestionVote.objects.filter(suggestion=suggestion, voter=actor).delete()
    if deleted:
        Suggestion.objects.filter(pk=suggestion.pk, vote_count__gt=0).update(vote_count=F("vote_count") - 1)
    return bool(deleted)


def toggle_vote(*, actor: User, suggestion_id: int) -> bool:
    """The web's one button: vote, or take the vote back. True when the actor now votes for it."""
    if SuggestionVote.objects.filter(suggestion_id=suggestion_id, voter=actor).exists():
        unvote(actor=actor, suggestion_id=suggestion_id)
        return False
    vote(actor=actor, suggestion_id=suggestion_id)
    return True


def _staff_of(actor: User, seller_id: int) -> Membership | None:
    return (
        Membership.objects.select_related("role")
        .filter(user=actor, organization_id=seller_id, organization__is_active=True)
        .first()
    )


@transaction.atomic
def set_status(*, actor: User, suggestion_id: int, status: str, reply: str = "") -> Suggestion:
    """The store's staff move a suggestion on (open → under review → planned → done, or declined) with a public
    reply; every change is an event. On "done" the author and the voters are told by e-mail."""
    suggestion = Suggestion.objects.select_for_update().filter(pk=suggestion_id).first()
    member = suggestion and _staff_of(actor, suggestion.seller_id)
    if member is None:
        raise NotFound(gettext("No such suggestion."), field="suggestion")  # another tenant's: 404
    if not may_triage(member):
        raise PermissionDenied(gettext("Your role does not allow answering suggestions."))
    if status not in Status.values:
        raise ValidationFailed(gettext("Choose a status."), field="status")
    reply = (reply or "").strip()
    if len(reply) > MAX_REPLY:
        raise ValidationFailed(gettext("Write at most %(n)s characters.") % {"n": MAX_REPLY}, field="reply")
    if status == suggestion.status:
        if reply != suggestion.reply:
            suggestion.reply, suggestion.replied_at = reply, clock.now() if reply else None
            suggestion.save(update_fields=["reply", "replied_at"])
            states.record(suggestion, old=status, new=status, actor=actor, reason=reply)
        return suggestion
    if reply:
        suggestion.reply, suggestion.replied_at = reply, clock.now()
    states.transition(suggestion, status, actor=actor, reason=reply)
    if status == Status.DONE:
        from tradeloop.feedback.tasks import send_done

        suggestion_id = suggestion.pk
        transaction.on_commit(lambda: send_done.delay(suggestion_id), robust=True)
    return suggestion


# --- private feedback on a completed order ------------------------------------------------------------------------


@transaction.atomic
def order_feedback(*, actor: User, number: str, text: str) -> OrderFeedback:
    """The buyer's private "what could be better" on a completed order: to the seller only, once per order."""
    order = Order.objects.filter(number=number, buyer=actor).first()
    if order is None:
        raise NotFound(gettext("No such order."), field="order")
    if order.state != Order.State.COMPLETED:
        raise Conflict(gettext("You can give feedback once the order is completed."), code=Code.NOT_COMPLETED)
    text = _text(text)
    try:
        with transaction.atomic():
            return OrderFeedback.objects.create(order=order, seller_id=order.seller_id, author=actor, text=text)
    except IntegrityError:
        raise Conflict(gettext("You have given feedback on this order already."), code=Code.ALREADY_GIVEN) from None
