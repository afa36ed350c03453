"""The satisfaction survey linked from the confirmation page."""

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from ier.core.forms import GovukForm
from ier.core.nocache import never_cache
from ier.performance.models import Feedback

RATINGS = [
    ("5", _("Very satisfied")),
    ("4", _("Satisfied")),
    ("3", _("Neither satisfied nor dissatisfied")),
    ("2", _("Dissatisfied")),
    ("1", _("Very dissatisfied")),
]


class FeedbackForm(GovukForm):
    rating = forms.ChoiceField(
        label=_("Overall, how did you feel about the service you received today?"),
        choices=RATINGS,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select how you felt about the service"),
            "invalid_choice": _("Select how you felt about the service"),
        },
    )
    comment = forms.CharField(
        label=_("How could we improve this service? (optional)"),
        help_text=_("Do not include personal information, like your name or address."),
        required=False,
        max_length=1200,
        widget=forms.Textarea,
        error_messages={
            "max_length": _("Your comment must be 1,200 characters or fewer")
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def feedback_form(request: HttpRequest) -> HttpResponse:
    form = FeedbackForm(data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        Feedback.objects.create(
            rating=int(form.cleaned_data["rating"]),
            comment=form.cleaned_data["comment"],
            language=translation.get_language() or "en",
        )
        return redirect("feedback:thanks")
    return render(request, "performance/feedback.html", {"form": form})


def thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "performance/feedback_thanks.html", {})
