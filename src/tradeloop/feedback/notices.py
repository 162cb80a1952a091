"""The e-mail that tells a suggestion's author and voters it is done: in each recipient's language, once per
(kind, ref, recipient) through the notifications app's e-mail kit (its in-site twin, where that exists, follows)."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from tradeloop.accounts.models import User
from tradeloop.notifications import services as mail

from .models import Suggestion, SuggestionVote

KIND = "suggestion_done"
SUBJECT = _("Your suggestion to %(store)s is done")
VOTER_SUBJECT = _("A suggestion you voted for at %(store)s is done")


def page_path(suggestion: Suggestion) -> str:
    if suggestion.product_id:
        return reverse("feedback:product", args=[suggestion.product_id]) + f"#suggestion-{suggestion.pk}"
    return reverse("feedback:store", args=[suggestion.seller.slug]) + f"#suggestion-{suggestion.pk}"


def recipients(suggestion: Suggestion) -> list[User]:
    voters = User.objects.filter(
        pk__in=SuggestionVote.objects.filter(suggestion=suggestion).values("voter_id"), is_active=True
    ).order_by("pk")
    people = [suggestion.author] if suggestion.author.is_active else []
    return people + [u for u in voters if u.pk != suggestion.author_id]


def send_done(suggestion_id: int) -> int:
    suggestion = Suggestion.objects.select_related("seller", "author", "product").filter(pk=suggestion_id).first()
    if suggestion is None or suggestion.status != Suggestion.Status.DONE:
        return 0
    ref = f"suggestion:{suggestion.pk}"
    path = page_path(suggestion)
    link = mail._site_url() + path
    sent = 0
    for user in recipients(suggestion):
        subject_id = SUBJECT if user.pk == suggestion.author_id else VOTER_SUBJECT
        if not user.email:  # no address: told in-site only
            sent += (
                mail.notify(
                    recipient=user,
                    kind=KIND,
                    ref=ref,
                    title=subject_id,
                    params={"store": suggestion.seller.name},
                    link=path,
                )
                is not None
            )
            continue
        with translation.override(user.language or settings.LANGUAGE_CODE):
            context = {
                "name": user.display_name,
                "suggestion": suggestion,
                "is_author": user.pk == suggestion.author_id,
                "link": link,
                "product_title": suggestion.product.display_title if suggestion.product_id else "",
            }
            subject = str(subject_id % {"store": suggestion.seller.name})
            text = render_to_string("feedback/email/suggestion_done.txt", context)
            html = render_to_string("feedback/email/suggestion_done.html", context)
        # the kit sends once per (kind, ref, to) and leaves the in-site twin notice linked to the suggestion
        sent += mail._send_once(kind=KIND, ref=ref, to=user.email, subject=subject, text=text, html=html, link=path)
    return sent
