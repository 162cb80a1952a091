"""The one path by which any aggregate changes state: checked against its ALLOWED map and recorded."""

from __future__ import annotations

from django.db import models

from tradeloop.core import clock
from tradeloop.core.errors import IllegalTransition
from tradeloop.core.models import Event


def record(obj: models.Model, *, old: str = "", new: str = "", actor=None, reason: str = "") -> Event:
    return Event.objects.create(
        subject_type=obj._meta.label_lower,
        subject_id=obj.pk,
        old=old,
        new=new,
        actor=actor if getattr(actor, "pk", None) else None,
        reason=reason[:300],
        at=clock.now(),
    )


def record_many(objs: list[models.Model], *, actor=None, reason: str = "", at=None) -> list[Event]:
    """The first event of many new objects (their current state, from nothing) in one INSERT."""
    at = at or clock.now()
    return Event.objects.bulk_create(
        Event(
            subject_type=obj._meta.label_lower,
            subject_id=obj.pk,
            old="",
            new=getattr(obj, getattr(obj, "STATE_FIELD", "state")),
            actor=actor if getattr(actor, "pk", None) else None,
            reason=reason[:300],
            at=at,
        )
        for obj in objs
    )


def transition(obj: models.Model, to: str, *, actor=None, reason: str = "") -> None:
    field = getattr(obj, "STATE_FIELD", "state")
    old = getattr(obj, field)
    if to not in obj.ALLOWED.get(old, ()):
        raise IllegalTransition(type(obj).__name__, old, to)
    setattr(obj, field, to)
    if obj._state.adding:  # a new object that leaves its first state at once: written once, in the new state
        obj.save(force_insert=True)
    else:
        obj.save(update_fields=[field, *getattr(obj, "TRANSITION_ALSO_SAVES", ())])
    record(obj, old=old, new=to, actor=actor, reason=reason)


def history(obj: models.Model):
    return Event.objects.filter(subject_type=obj._meta.label_lower, subject_id=obj.pk).select_related("actor")
