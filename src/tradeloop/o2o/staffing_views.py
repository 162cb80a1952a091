"""Console pages for services and staff (capability catalog.manage): the list, a service's form, a staff member's
form with their week and days off. Thin: the forms parse, o2o.staffing decides."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from tradeloop.accounts.console_access import Console, console_page
from tradeloop.core.errors import DomainError
from tradeloop.o2o import booking_selectors as selectors
from tradeloop.o2o import staffing
from tradeloop.o2o.staffing_forms import DayOffForm, ServiceForm, StaffForm, attach

SECTION = "o2o:console_services"


@console_page(staffing.CAPABILITY, section=SECTION)
def console_services(request: HttpRequest, console: Console) -> HttpResponse:
    org = console.organization
    return console.render(
        request,
        "o2o/service_console.html",
        {
            "services": selectors.org_services(org),
            "staff": selectors.org_staff(org),
            "places": selectors.seller_places(org),
        },
    )


def _service_form(request: HttpRequest, console: Console, service_id: int | None) -> HttpResponse:
    org = console.organization
    service = staffing.seller_service(request.user, org, service_id) if service_id else None
    initial = ServiceForm.initial_of(service) if service else None
    form = ServiceForm(request.POST or None, org=org, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "places"}
        data["place_ids"] = [p.pk for p in form.cleaned_data["places"]]
        try:
            staffing.save_service(actor=request.user, org=org, data=staffing.ServiceData(**data), service_id=service_id)
        except DomainError as exc:
            attach(form, exc)
        else:
            messages.success(request, gettext("Service saved."))
            return redirect(SECTION, org.pk)
    status = 400 if form.errors else 200
    return console.render(request, "o2o/service_form.html", {"form": form, "service": service}, status=status)


@console_page(staffing.CAPABILITY, section=SECTION)
def console_service_new(request: HttpRequest, console: Console) -> HttpResponse:
    return _service_form(request, console, None)


@console_page(staffing.CAPABILITY, section=SECTION)
def console_service_edit(request: HttpRequest, console: Console, service_id: int) -> HttpResponse:
    return _service_form(request, console, service_id)


def _save_staff(request: HttpRequest, org, form: StaffForm, staff_id: int | None):
    data = staffing.StaffData(
        place_id=form.cleaned_data["place"].pk,
        name=form.cleaned_data["name"],
        name_zh=form.cleaned_data["name_zh"],
        title=form.cleaned_data["title"],
        title_zh=form.cleaned_data["title_zh"],
        service_ids=[s.pk for s in form.cleaned_data["services"]],
        is_active=form.cleaned_data["is_active"],
    )
    with transaction.atomic():  # the person and their week together, or neither
        person = staffing.save_staff(actor=request.user, org=org, data=data, staff_id=staff_id)
        staffing.set_hours(actor=request.user, org=org, staff_id=person.pk, hours=form.hours())
    return person


def _attach_staff_error(form: StaffForm, error: DomainError) -> None:
    """`hours.N` names the N-th span given: shown on that weekday's row."""
    parts = (error.field or "").split(".")
    if parts[0] == "hours" and len(parts) > 1 and parts[1].isdigit():
        form.add_error(f"from_{form.hours()[int(parts[1])][0]}", error.message)
    else:
        attach(form, error)


def _staff_form(request: HttpRequest, console: Console, staff_id: int | None) -> HttpResponse:
    org = console.organization
    person = None
    if staff_id:
        staffing.seller_staff(request.user, org, staff_id)  # another tenant's: 404
        person = selectors.org_staff(org, staff_id)[0]
    form = StaffForm(request.POST or None, org=org, initial=StaffForm.initial_of(person) if person else None)
    if request.method == "POST" and form.is_valid():
        try:
            person = _save_staff(request, org, form, staff_id)
        except DomainError as exc:
            _attach_staff_error(form, exc)
        else:
            messages.success(request, gettext("Staff member saved."))
            return redirect("o2o:console_staff_edit", org.pk, person.pk)
    status = 400 if form.errors else 200
    context = {"form": form, "person": person, "day_off_form": DayOffForm()}
    return console.render(request, "o2o/staff_form.html", context, status=status)


@console_page(staffing.CAPABILITY, section=SECTION)
def console_staff_new(request: HttpRequest, console: Console) -> HttpResponse:
    return _staff_form(request, console, None)


@console_page(staffing.CAPABILITY, section=SECTION)
def console_staff_edit(request: HttpRequest, console: Console, staff_id: int) -> HttpResponse:
    return _staff_form(request, console, staff_id)


@console_page(staffing.CAPABILITY, section=SECTION)
@require_POST
def console_day_off_add(request: HttpRequest, console: Console, staff_id: int) -> HttpResponse:
    form = DayOffForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Give a day like 2026-12-24."))
    else:
        staffing.add_day_off(
            actor=request.user,
            org=console.organization,
            staff_id=staff_id,
            day=form.cleaned_data["day"],
            reason=form.cleaned_data["reason"],
        )
        messages.success(request, gettext("Day off added."))
    return redirect("o2o:console_staff_edit", console.organization.pk, staff_id)


@console_page(staffing.CAPABILITY, section=SECTION)
@require_POST
def console_day_off_remove(request: HttpRequest, console: Console, staff_id: int, day_off_id: int) -> HttpResponse:
    staffing.remove_day_off(actor=request.user, org=console.organization, day_off_id=day_off_id)
    messages.success(request, gettext("Day off removed."))
    return redirect("o2o:console_staff_edit", console.organization.pk, staff_id)
