"""Review pages: the signed-in person's reviews and visits waiting for one, writing and editing a review, a target's
reviews, and the seller console's reviews desk. Thin: forms parse, reviews.services decides, reviews.selectors reads."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from tradeloop.accounts.console_access import Console, console_page
from tradeloop.accounts.selectors import public_store
from tradeloop.core import clock
from tradeloop.core.errors import DomainError, NotFound
from tradeloop.orders.selectors import order_for_buyer
from tradeloop.reviews import product_records, records, reputation, selectors, services
from tradeloop.reviews.forms import ReplyForm, ReportForm, ReviewForm, attach
from tradeloop.reviews.models import Review

PAGE = 20


def _page(read, request: HttpRequest, **kwargs):
    """A keyset page; a malformed cursor shows the first page."""
    try:
        return read(cursor=request.GET.get("cursor"), limit=PAGE, **kwargs)
    except DomainError:
        return read(limit=PAGE, **kwargs)


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    page = _page(lambda **kw: selectors.mine_page(request.user, **kw), request)
    return render(
        request,
        "reviews/mine.html",
        {"page": page, "waiting": selectors.pending(request.user), "now": clock.now()},
    )


def _save(request: HttpRequest, form: ReviewForm, write) -> Review | None:
    """Run a write with the form's data; a domain error lands on the form."""
    if request.method != "POST" or not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        return write(stars=data["stars"], scores=form.scores(), text=data["text"], photos=data["photos"])
    except DomainError as exc:
        attach(form, exc)
        return None


@login_required
def write(request: HttpRequest, record_kind: str, record_id: int) -> HttpResponse:
    existing = Review.objects.filter(record_kind=record_kind, record_id=record_id, author=request.user).first()
    if existing is not None:
        messages.info(request, gettext("You have reviewed it already: you can edit your review."))
        return redirect("reviews:edit", existing.pk)
    record = records.resolve(record_kind, record_id, request.user)
    if record is None:
        raise Http404("no visit of yours to review")
    form = ReviewForm(
        request.POST if request.method == "POST" else None, request.FILES or None, target_kind=record.target_kind
    )
    review = _save(
        request,
        form,
        lambda **kw: services.write_review(actor=request.user, record_kind=record_kind, record_id=record_id, **kw),
    )
    if review is not None:
        if review.state == Review.State.HELD:
            messages.info(request, gettext("Thank you: your review is shown once the operator has checked it."))
        else:
            messages.success(request, gettext("Thank you: your review is published."))
        return redirect("reviews:mine")
    kind = records.record_kind(record.kind)
    context = {
        "form": form,
        "record": record,
        "target": _target(record.target_kind, record.target_id),
        "mark": kind.mark if kind else "",
    }
    return render(request, "reviews/write.html", context, status=400 if form.errors else 200)


def _target(kind: str, target_id: int) -> records.Target | None:
    try:
        return selectors.describe_target(kind, target_id)
    except NotFound:
        return None


def _initial(review: Review) -> dict:
    return {"stars": review.stars, "text": review.text} | {f"score_{k}": v for k, v in review.scores.items()}


@login_required
def edit(request: HttpRequest, review_id: int) -> HttpResponse:
    try:
        review = selectors.own_review(request.user, review_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    editable = services.is_editable(review)
    form = ReviewForm(
        request.POST if request.method == "POST" and editable else None,
        request.FILES or None,
        target_kind=review.target_kind,
        initial=_initial(review),
    )
    saved = _save(request, form, lambda **kw: services.edit_review(actor=request.user, review_id=review.pk, **kw))
    if saved is not None:
        messages.success(request, gettext("Your review is updated."))
        return redirect("reviews:mine")
    context = {
        "form": form,
        "review": review,
        "editable": editable,
        "target": _target(review.target_kind, review.target_id),
    }
    return render(request, "reviews/edit.html", context, status=400 if form.errors else 200)


def target(request: HttpRequest, target_kind: str, target_id: int) -> HttpResponse:
    try:
        about = selectors.describe_target(target_kind, target_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    page = _page(lambda **kw: selectors.target_page(target_kind, target_id, **kw), request)
    context = {
        "about": about,
        "summary": selectors.target_summary(target_kind, target_id),
        "page": page,
        "target_kind": target_kind,
        "voted": selectors.voted(request.user, page.items),
    }
    return render(request, "reviews/target.html", context)


def _back(request: HttpRequest, fallback: str) -> str:
    """Where a vote or report returns to: the page it came from (`next`, this site only), else `fallback`."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}):
        return wanted
    return fallback


def _target_url(review: Review) -> str:
    return reverse("reviews:target", args=[review.target_kind, review.target_id])


@login_required
@require_POST
def helpful(request: HttpRequest, review_id: int) -> HttpResponse:
    try:
        review, on = services.toggle_helpful(actor=request.user, review_id=review_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(_back(request, reverse("reviews:mine")))
    if on:
        messages.success(request, gettext("Thank you: you found this review helpful."))
    else:
        messages.info(request, gettext("Your vote is taken back."))
    return redirect(_back(request, _target_url(review)) + f"#review-{review.pk}")


@login_required
def report(request: HttpRequest, review_id: int) -> HttpResponse:
    try:
        review = selectors.public_review(review_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    form = ReportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report(
                actor=request.user,
                review_id=review.pk,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:
            attach(form, exc)
        else:
            messages.success(request, gettext("Thank you: the operator will look at this review."))
            return redirect(_back(request, _target_url(review)))
    context = {"form": form, "review": review, "next": _back(request, _target_url(review))}
    return render(request, "reviews/report.html", context, status=400 if form.errors else 200)


@login_required
def order_reviews(request: HttpRequest, number: str) -> HttpResponse:
    """The items of one of the buyer's orders, each with Write a review (once delivered) or the review written."""
    try:
        order = order_for_buyer(request.user, number)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    lines = product_records.order_lines(order, request.user)
    return render(request, "reviews/order.html", {"order": order, "lines": lines})


def seller_reputation(request: HttpRequest, slug: str) -> HttpResponse:
    """A store's reputation: ratings of every mode, response time, dispute rate, on-time shipping (one stored row)."""
    try:
        seller = public_store(slug)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    found = reputation.for_seller(seller)
    context = {"seller": seller, "reputation": found, "parts": reputation_parts(found)}
    return render(request, "reviews/reputation.html", context)


def reputation_parts(found) -> list[dict]:
    """The rating of each source, labelled, biggest first."""
    labels = {
        "product": gettext("Product reviews"),
        "place": gettext("Visits to its places"),
        **{s.name: str(s.label) for s in reputation.sources()},
    }
    parts = [
        {"name": name, "label": labels.get(name, name), "avg": part["avg"], "count": part["count"]}
        for name, part in (found.sources or {}).items()
    ]
    return sorted(parts, key=lambda p: -p["count"])


# --- the seller console ---------------------------------------------------------------------------------------------


@console_page("orders.view", section="reviews:console_reviews")
def console_reviews(request: HttpRequest, console: Console) -> HttpResponse:
    unanswered = request.GET.get("show") != "all"
    page = _page(lambda **kw: selectors.seller_page(console.organization, unanswered=unanswered, **kw), request)
    context = {
        "page": page,
        "unanswered": unanswered,
        "waiting_count": selectors.unanswered_count(console.organization),
        "may_reply": services.may_reply(console.membership),
    }
    return console.render(request, "reviews/console_reviews.html", context)


@require_POST
@console_page("orders.view", section="reviews:console_reviews")
def console_reply(request: HttpRequest, console: Console, review_id: int) -> HttpResponse:
    if not Review.objects.filter(pk=review_id, seller=console.organization).exists():
        raise Http404("review not found")  # another organization's, even one the member also belongs to
    form = ReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Write an answer first."))
    else:
        try:
            services.answer(actor=request.user, review_id=review_id, text=form.cleaned_data["reply"])
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, gettext("Your answer is published under the review."))
    back = reverse("reviews:console_reviews", args=[console.organization.pk])
    return redirect(back + ("?show=all" if request.POST.get("show") == "all" else ""))
