"""The citizen journey: one question per page, answers in an encrypted cookie."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ier.citizen import eligibility
from ier.citizen.forms.choices import DeclarationForm
from ier.citizen.journey import Context, Journey, raw_answers
from ier.citizen.journeys import JOURNEYS
from ier.citizen.ordinary import ORDINARY
from ier.citizen.session import (
    Journey as JourneyState,
)
from ier.citizen.session import (
    State,
    clear_journey,
    read_journey,
    refresh_journey,
    write_journey,
)
from ier.citizen.submission import IncompleteApplication, submit
from ier.core.forms import field_params
from ier.core.nocache import never_cache
from ier.core.paths import page_path
from ier.registration import references
from ier.registration.models import Application


def start_page(request: HttpRequest) -> HttpResponse:
    return render(request, "registration/start.html", {})


@never_cache
def begin(request: HttpRequest, kind: str = "ordinary") -> HttpResponse:
    journey = JOURNEYS.get(kind)
    if journey is None:
        raise Http404
    response = redirect(step_url(journey.steps[0].slug))
    write_journey(response, JourneyState(kind=kind))
    return response


def step_url(slug: str) -> str:
    return page_path("registration:step", slug=slug)


def stop_url(stop: tuple[str, str]) -> str:
    kind, slug = stop
    if kind == "step":
        return step_url(slug)
    if kind == "exit":
        return page_path("registration:exit", slug=slug)
    return page_path("registration:check")


def _load(request: HttpRequest) -> tuple[JourneyState | None, HttpResponse | None]:
    """The person's journey, or the response that sends them where they belong."""
    state, journey = read_journey(request)
    if state == State.EXPIRED:
        response = redirect("registration:timeout")
        clear_journey(response)
        return None, response
    if state == State.MISSING or journey is None:
        return None, redirect("registration:start")
    if journey.submitted:
        return None, redirect("registration:complete")
    return journey, None


def _render_step(
    request, journey: Journey, step, form, ctx, status=200
) -> HttpResponse:
    previous = journey.previous_step(ctx, step.slug)
    back = (
        page_path("registration:check")
        if request.GET.get("change")
        else (step_url(previous) if previous else page_path(journey.start))
    )
    context = {
        "form": form,
        "step": step,
        "title": str(form.title),
        "back_url": back,
        "field": lambda name, **params: field_params(form, name, **params),
        "ctx": ctx,
        "journey": journey,
    }
    return render(request, step.template, context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def step_view(request: HttpRequest, slug: str) -> HttpResponse:
    state, early = _load(request)
    if early or state is None:
        return early or redirect("registration:start")
    journey = JOURNEYS.get(state.kind, ORDINARY)
    step = journey.step(slug)
    if step is None:
        raise Http404
    ctx = Context(state.answers)
    if request.method == "POST":
        return _answer(request, journey, step, state, ctx)
    elsewhere = journey.reachable(ctx, slug)
    if elsewhere:
        return redirect(stop_url(elsewhere))
    form = step.bound_form(ctx) or step.form_class(ctx=ctx)
    response = _render_step(request, journey, step, form, ctx)
    refresh_journey(response, state)
    return response


def _answer(request, journey: Journey, step, state: JourneyState, ctx) -> HttpResponse:
    form = step.form_class(data=request.POST, ctx=ctx)
    if not form.is_valid():
        response = _render_step(request, journey, step, form, ctx)
        refresh_journey(response, state)
        return response
    answer = raw_answers(form, request.POST)
    if state.answers.get(step.slug) != answer:
        for cleared in step.clears:
            state.answers.pop(cleared, None)
    state.answers[step.slug] = answer
    destination = stop_url(journey.next_stop(Context(state.answers)))
    response = redirect(destination)
    write_journey(response, state)
    return response


def summary_sections(journey: Journey, ctx: Context) -> list[dict]:
    # Each label is translated once and the link's word once a page: the summary
    # has 12 to 14 rows, and each translation asks Django's thread-local again.
    change = _("Change")
    rows = []
    for step in journey.answered_steps(ctx):
        if not step.summary:
            continue
        form = ctx.form(step)
        if form is None:
            continue
        href = step_url(step.slug) + "?change=1"
        for label, value in form.summary_rows():
            label = str(label)
            rows.append(
                {
                    "key": {"text": label},
                    "value": {"text": str(value)},
                    "actions": {
                        "items": [
                            {
                                "href": href,
                                "text": change,
                                "visuallyHiddenText": label.lower(),
                            }
                        ]
                    },
                }
            )
    return rows


@never_cache
@require_http_methods(["GET", "POST"])
def check_answers(request: HttpRequest) -> HttpResponse:
    state, early = _load(request)
    if early or state is None:
        # A second click after sending lands on the same confirmation.
        return early or redirect("registration:start")
    journey = JOURNEYS.get(state.kind, ORDINARY)
    ctx = Context(state.answers)
    # This page shows, and sending saves, every answer validated afresh: validate
    # them first, so the walk to this page reads those results instead of checking
    # each answer a second time against recent ones.
    for step in journey.answered_steps(ctx):
        ctx.form(step)
    stop = journey.next_stop(ctx)
    if stop[0] != "check":
        return redirect(stop_url(stop))
    form = DeclarationForm(
        data=request.POST if request.method == "POST" else None, ctx=ctx
    )
    if request.method == "POST" and form.is_valid():
        try:
            application = submit(journey, ctx, state.key)
        except IncompleteApplication as missing:
            return redirect(step_url(str(missing)))
        state.reference = application.reference
        state.answers = {}
        sent: HttpResponse = redirect("registration:complete")
        write_journey(sent, state)
        return sent
    context = {
        "form": form,
        "title": str(form.title),
        "rows": summary_sections(journey, ctx),
        "journey_kind": journey.kind,
        "back_url": step_url(journey.answered_steps(ctx)[-1].slug),
        "field": lambda name, **params: field_params(form, name, **params),
    }
    response = render(request, "registration/check_answers.html", context)
    refresh_journey(response, state)
    return response


@never_cache
def complete(request: HttpRequest) -> HttpResponse:
    _state, journey = read_journey(request)
    if journey is None or not journey.submitted:
        return redirect("registration:start")
    # One query for everything the page shows: the council, its office's contact
    # details and whether the person seems to be on the register already. The key
    # is unique, so the row is read without the ORDER BY of `first()`: working
    # that out for this join costs Django more than the rest of the query.
    application = next(
        iter(
            Application.objects.select_related(
                "authority__registration_office", "duplicate_check"
            ).filter(idempotency_key=journey.key)[:1]
        ),
        None,
    )
    if application is None:
        return redirect("registration:start")
    context = {
        "reference": references.display_reference(application.reference),
        "application": application,
        "contact": application.authority.contact,
        "young_person": young_person_protected(application),
    }
    return render(request, "registration/complete.html", context)


def young_person_protected(application: Application) -> bool:
    """Under the age below which the law of their nation keeps a young person's
    details unpublished (rules/under_16.csv)."""
    born = application.date_of_birth
    return born is not None and bool(
        eligibility.questions_skipped_for_age(
            application.authority.nation, born, timezone.localdate()
        )
    )


EXIT_PAGES = {
    "northern-ireland",
    "overseas",
    "not-eligible",
    "too-young",
    "overseas-not-eligible",
}


@never_cache
def exit_page(request: HttpRequest, slug: str) -> HttpResponse:
    """Pages that end a journey and explain why; answers are kept so the person can
    go back and change the one that led here."""
    if slug not in EXIT_PAGES:
        raise Http404
    _state, saved = read_journey(request)
    context: dict = {"slug": slug, "back_url": reverse("registration:start")}
    if saved and not saved.submitted:
        journey = JOURNEYS.get(saved.kind, ORDINARY)
        ctx = Context(saved.answers)
        context.update(_exit_context(journey, ctx, slug))
    return render(request, "registration/exit/%s.html" % slug, context)


def _exit_context(journey: Journey, ctx: Context, slug: str) -> dict:
    context: dict = {}
    answered = [s for s in journey.answered_steps(ctx) if s.is_complete(ctx)]
    if answered:
        context["back_url"] = step_url(answered[-1].slug)
    nation = journey.rules_nation(ctx)
    if (
        slug == "too-young"
        and ctx.date_of_birth
        and nation
        and eligibility.age_rules(nation, ctx.today)
    ):
        context["earliest"] = eligibility.earliest_registration_date(
            ctx.date_of_birth, nation, ctx.today
        )
        context["minimum_age"] = eligibility.minimum_registration_age(nation, ctx.today)
    return context


@never_cache
def timeout(request: HttpRequest) -> HttpResponse:
    response = render(request, "registration/timeout.html", {})
    clear_journey(response)
    return response
