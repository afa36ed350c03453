"""Journeys as data: an ordered list of steps, each a form, a template and conditions.

After every answer the person is sent to the first step, from the start, that applies
to them and is not yet answered validly. Changing an earlier answer therefore keeps
later answers that still hold and asks again only where they no longer do; when every
step is complete the walk ends at "check your answers"."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any

from django.http import QueryDict
from django.utils import timezone

from ier.citizen import eligibility
from ier.citizen.validity import VALIDITY, to_querydict

Answers = dict[str, dict[str, Any]]


class Context:
    """The answers so far, with the facts later steps depend on derived once."""

    def __init__(self, answers: Answers, today: date | None = None):
        self.answers = answers
        self.today = today or timezone.localdate()
        self._forms: dict[str, Any] = {}
        self._addresses: dict[str, Any] = {}

    def raw(self, slug: str) -> dict[str, Any]:
        return self.answers.get(slug, {})

    def value(self, slug: str, name: str, default: Any = None) -> Any:
        return self.answers.get(slug, {}).get(name, default)

    def form(self, step: "Step"):
        """The step's form bound to its stored answers and validated (once per
        request), or None when the step has no answers."""
        if step.slug not in self._forms:
            form = step.bound_form(self)
            if form is not None:
                form.is_valid()
            self._forms[step.slug] = form
        return self._forms[step.slug]

    def cleaned(self, step: "Step") -> dict[str, Any] | None:
        """The step's answers validated, or None when missing or no longer valid."""
        form = self.form(step)
        return form.cleaned_data if form is not None and not form.errors else None

    def holds(self, step: "Step") -> bool:
        """Whether the step's stored answers are still valid: the same as
        `cleaned(step) is not None`, but answered from `VALIDITY` when this answer
        was checked recently against the same facts."""
        if step.slug in self._forms:
            form = self._forms[step.slug]
            return form is not None and not form.errors
        if step.slug not in self.answers:
            return False
        return VALIDITY.holds(step, self)

    def chosen_address(self, prefix: str):
        """The address answered under `prefix`, looked up once per request."""
        from ier.citizen.addressing import chosen_address

        if prefix not in self._addresses:
            self._addresses[prefix] = chosen_address(self, prefix)
        return self._addresses[prefix]

    @property
    def address(self):
        """The chosen address (or manual address) as a dict, once answered."""
        return self.chosen_address("address")

    @cached_property
    def nation(self) -> str | None:
        """The nation whose law applies: the address's once known, else the answer
        to "where do you live"."""
        if self.address and self.address.get("nation"):
            return self.address["nation"]
        country = self.value("where-you-live", "country")
        return {"england": "England", "scotland": "Scotland", "wales": "Wales"}.get(
            country
        )

    @cached_property
    def date_of_birth(self) -> date | None:
        raw = self.raw("date-of-birth")
        try:
            return date(
                int(raw["date_of_birth-year"]),
                int(raw["date_of_birth-month"]),
                int(raw["date_of_birth-day"]),
            )
        except (KeyError, ValueError, TypeError):
            return None

    @property
    def skipped_for_age(self) -> set[str]:
        if not self.nation:
            return set()
        return eligibility.questions_skipped_for_age(
            self.nation, self.date_of_birth, self.today
        )


def always(ctx: Context) -> bool:
    return True


def never_exits(ctx: Context) -> str | None:
    return None


@dataclass(frozen=True)
class Step:
    slug: str
    form_class: type
    template: str = "registration/step.html"
    applies: Callable[[Context], bool] = always
    exit: Callable[[Context], str | None] = never_exits
    # Steps reached only by a link (manual address entry) are not walked to.
    in_walk: bool = True
    # A custom test of completeness, for steps answered on another page.
    complete: Callable[[Context], bool] | None = None
    # Answers of other steps that no longer hold once this one changes.
    clears: tuple[str, ...] = ()
    summary: bool = True
    # For a step reached by a link: the walked step it stands in for.
    instead_of: str = ""

    def bound_form(self, ctx: Context, data: Any = None):
        stored = ctx.raw(self.slug)
        if data is None:
            # An optional page answered with every field blank is still answered.
            if self.slug not in ctx.answers:
                return None
            data = to_querydict(stored)
        return self.form_class(data=data, ctx=ctx)

    def is_answered(self, ctx: Context) -> bool:
        """Answered at all: enough to let the person see later pages. Whether the
        answer still holds is checked when they next send an answer."""
        if self.complete is not None:
            return self.complete(ctx)
        return bool(ctx.raw(self.slug))

    def is_complete(self, ctx: Context) -> bool:
        if self.complete is not None:
            return self.complete(ctx)
        return ctx.holds(self)


@dataclass(frozen=True)
class Journey:
    kind: str
    steps: tuple[Step, ...]
    url_prefix: str
    #: The page the first step's back link returns to.
    start: str = "registration:start"
    #: Whose age rules apply (registration_ages.csv): the address's nation when
    #: empty, or a fixed franchise such as "Overseas".
    age_rules: str = ""

    def rules_nation(self, ctx: Context) -> str | None:
        return self.age_rules or ctx.nation

    def step(self, slug: str) -> Step | None:
        return next((s for s in self.steps if s.slug == slug), None)

    def next_stop(self, ctx: Context) -> tuple[str, str]:
        """("step", slug), ("exit", slug) or ("check", "") for where to go now."""
        for step in self.steps:
            if not step.in_walk or not step.applies(ctx):
                continue
            if not step.is_complete(ctx):
                return "step", step.slug
            exit_slug = step.exit(ctx)
            if exit_slug:
                return "exit", exit_slug
        return "check", ""

    def reachable(self, ctx: Context, slug: str) -> tuple[str, str] | None:
        """None if `slug` may be shown now, else where to send the person instead:
        the first earlier page they have not answered, or an exit they reached."""
        target = self.step(slug)
        stop = target.instead_of if target and target.instead_of else slug
        for step in self.steps:
            if step.slug == stop:
                return None
            if not step.in_walk or not step.applies(ctx):
                continue
            if not step.is_answered(ctx):
                return "step", step.slug
            exit_slug = step.exit(ctx)
            if exit_slug:
                return "exit", exit_slug
        return "step", self.steps[0].slug

    def previous_step(self, ctx: Context, slug: str) -> str | None:
        """The page before `slug` for this person, for the back link."""
        target = self.step(slug)
        if target and target.instead_of:
            return target.instead_of
        previous = None
        for step in self.steps:
            if step.slug == slug:
                return previous
            if step.in_walk and step.applies(ctx):
                previous = step.slug
        return previous

    def answered_steps(self, ctx: Context) -> list[Step]:
        """The steps whose answers count, in order (for the summary and submission)."""
        return [s for s in self.steps if s.in_walk and s.applies(ctx)]


def raw_answers(form, data: QueryDict) -> dict[str, Any]:
    """The typed values of the form's own inputs, as posted, for the cookie."""
    kept: dict[str, Any] = {}
    multi = form.multi_value_names()
    for key in form.input_names():
        values = [v for v in data.getlist(key) if v != ""]
        if key in multi:
            if values:
                kept[key] = values
        elif values:
            kept[key] = values[0]
    return kept
