"""Public pages: the elections coming up at a postcode, with their deadlines, and
"Am I registered?" where the council offers it."""

import time

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from ier.core.forms import field_params
from ier.core.nocache import never_cache
from ier.elections import register_check
from ier.elections.forms import ElectionsPostcodeForm, RegisterCheckForm
from ier.elections.models import RegisterCheckRecord
from ier.elections.upcoming import councils_at, standing
from ier.geography.views import UNKNOWN_POSTCODE

Outcome = RegisterCheckRecord.Outcome


@never_cache
@require_http_methods(["GET", "POST"])
def elections_where_you_live(request: HttpRequest) -> HttpResponse:
    """The postcode is posted, not put in the address, so it stays out of logs."""
    form = ElectionsPostcodeForm(
        data=request.POST if request.method == "POST" else None
    )
    if request.method == "POST" and form.is_valid():
        postcode = form.cleaned_data["postcode"]
        councils = councils_at(postcode)
        if councils:
            return render(
                request,
                "elections/where_you_live_result.html",
                {
                    "postcode": postcode,
                    "standing": standing(councils, postcode=postcode),
                },
            )
        form.add_error("postcode", UNKNOWN_POSTCODE)
    context = {"form": form, "field": lambda name, **p: field_params(form, name, **p)}
    return render(request, "elections/where_you_live.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def am_i_registered(request: HttpRequest) -> HttpResponse:
    """Posted, never in the address; the answer is the same page for any miss."""
    if request.method == "POST":
        return _at_least(settings.REGISTER_CHECK_MINIMUM_MS / 1000, _asked, request)
    form = RegisterCheckForm()
    context = {"form": form, "field": lambda name, **p: field_params(form, name, **p)}
    return render(request, "elections/register_check.html", context)


def _at_least(seconds: float, view, request: HttpRequest) -> HttpResponse:
    """The view's response, held back until `seconds` have passed since it
    started. A miss and a near miss do the same work; the minimum also hides
    what a busy database or a cold cache adds to one answer and not the other."""
    started = time.monotonic()
    response = view(request)
    remaining = seconds - (time.monotonic() - started)
    if remaining > 0:
        time.sleep(remaining)
    return response


def _asked(request: HttpRequest) -> HttpResponse:
    form = RegisterCheckForm(data=request.POST)
    if not register_check.allowed(request):
        register_check.record(request, Outcome.LIMITED, [])
        return render(request, "elections/register_check_limited.html", status=429)
    if form.is_valid():
        return _check(request, form)
    context = {"form": form, "field": lambda name, **p: field_params(form, name, **p)}
    return render(request, "elections/register_check.html", context)


def _check(request: HttpRequest, form: RegisterCheckForm) -> HttpResponse:
    data = form.cleaned_data
    postcode = data["postcode"]
    if not councils_at(postcode):
        form.add_error("postcode", UNKNOWN_POSTCODE)
        context = {"form": form, "field": lambda n, **p: field_params(form, n, **p)}
        return render(request, "elections/register_check.html", context)
    councils = register_check.offering_councils(postcode)
    if not councils:
        register_check.record(request, Outcome.NOT_OFFERED, [])
        return render(request, "elections/register_check_not_offered.html")
    outcome = register_check.answer(
        register_check.Question(
            data["first_name"],
            data["last_name"],
            data["date_of_birth"],
            postcode,
            data["building"],
        ),
        councils,
    )
    register_check.record(request, outcome, councils)
    return render(
        request,
        "elections/register_check_result.html",
        {"found": outcome == Outcome.FOUND},
    )
