"""Reusing recent validation results while the facts they read are unchanged."""

from django import forms

from ier.citizen.journey import Context, Step
from ier.citizen.ordinary import ORDINARY
from ier.citizen.validity import Validity

BUILT: list[str] = []


class NeedsScotland(forms.Form):
    """Valid only when another answer says Scotland, read through the context."""

    name = forms.CharField()

    def __init__(self, *args, ctx=None, **kwargs):
        BUILT.append("built")
        self.ctx = ctx
        super().__init__(*args, **kwargs)

    def clean(self):
        if self.ctx.value("where-you-live", "country") != "scotland":
            raise forms.ValidationError("not Scotland")
        return self.cleaned_data


class ReadsEverything(NeedsScotland):
    def clean(self):
        if "where-you-live" not in self.ctx.answers:
            raise forms.ValidationError("no country")
        return self.cleaned_data


STEP = Step("test-step", NeedsScotland)


def answers(country: str, name: str = "Ada") -> dict:
    return {"where-you-live": {"country": country}, "test-step": {"name": name}}


def test_a_result_is_reused_while_the_facts_it_read_hold():
    validity = Validity()
    BUILT.clear()
    assert validity.holds(STEP, Context(answers("scotland"))) is True
    assert validity.holds(STEP, Context(answers("scotland"))) is True
    assert BUILT == ["built"]


def test_a_changed_fact_is_checked_again():
    validity = Validity()
    BUILT.clear()
    assert validity.holds(STEP, Context(answers("scotland"))) is True
    assert validity.holds(STEP, Context(answers("wales"))) is False
    assert validity.holds(STEP, Context(answers("scotland"))) is True
    assert validity.holds(STEP, Context(answers("wales"))) is False
    assert BUILT == ["built", "built"]


def test_a_changed_answer_is_checked_again():
    validity = Validity()
    BUILT.clear()
    assert validity.holds(STEP, Context(answers("scotland", "Ada"))) is True
    assert validity.holds(STEP, Context(answers("scotland", ""))) is False
    assert len(BUILT) == 2


def test_a_form_reading_what_cannot_be_followed_is_never_reused():
    validity = Validity()
    step = Step("test-step", ReadsEverything)
    BUILT.clear()
    assert validity.holds(step, Context(answers("scotland"))) is True
    assert validity.holds(step, Context(answers("scotland"))) is True
    assert BUILT == ["built", "built"]


def test_results_expire():
    validity = Validity(seconds=0)
    BUILT.clear()
    validity.holds(STEP, Context(answers("scotland")))
    validity.holds(STEP, Context(answers("scotland")))
    assert BUILT == ["built", "built"]


def test_only_digests_are_kept():
    validity = Validity()
    validity.holds(STEP, Context(answers("scotland", "Zebedee-Unusual")))
    assert "Zebedee-Unusual" not in repr(validity._entries)


def test_the_same_answers_as_a_full_validation_when_the_nation_changes():
    """The age ranges offered to someone who cannot give a date of birth depend on
    the nation (16 or 17 only where 16-year-olds can register), so the same stored
    answer is valid in Wales and not in England: re-judged when the nation changes."""
    step = ORDINARY.step("date-of-birth")
    stored_dob = {
        "cannot_give": ["yes"],
        "reason": "Not known",
        "age_range": "16-to-17",
    }
    results = []
    for country in ("wales", "england", "scotland", "england", "wales"):
        stored = {"where-you-live": {"country": country}, "date-of-birth": stored_dob}
        fresh = Context(stored).cleaned(step) is not None
        assert Context(stored).holds(step) == fresh
        results.append(fresh)
    assert results == [True, False, True, False, True]
