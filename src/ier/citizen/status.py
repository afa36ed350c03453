"""Following an application: reference and date of birth, nothing else revealed."""

from datetime import date

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from ier.core import ratelimit
from ier.core.forms import GovukDateField, GovukForm, field_params
from ier.core.nocache import never_cache
from ier.registration import references
from ier.registration.lifecycle import CITIZEN_STAGES
from ier.registration.models import Application, Status


class StatusForm(GovukForm):
    reference = forms.CharField(
        label=_("Reference number"),
        max_length=20,
        help_text=_(
            "This is on your confirmation page and email, for example ‘K7Q2M 9XH4T’."
        ),
        error_messages={
            "required": _("Enter your reference number"),
            "max_length": _(
                "Enter the reference number exactly as it was shown to you"
            ),
        },
    )
    date_of_birth = GovukDateField(label_text=_("date of birth"))

    def clean_reference(self):
        value = self.cleaned_data["reference"]
        if not references.is_valid_reference(value):
            raise forms.ValidationError(
                _("Enter the reference number exactly as it was shown to you")
            )
        return references.normalise_reference(value)


def _application(reference: str, born: date) -> Application | None:
    """The application with this reference, if the date of birth is its own. The
    date is encrypted, so it is compared once read; the reference is unique."""
    application = (
        Application.objects.select_related("authority")
        .filter(reference=reference)
        .first()
    )
    if application is None or application.date_of_birth != born:
        return None
    return application


@never_cache
@require_http_methods(["GET", "POST"])
def lookup(request: HttpRequest) -> HttpResponse:
    form = StatusForm(data=request.POST if request.method == "POST" else None)
    context = {"form": form, "field": lambda name, **p: field_params(form, name, **p)}
    if request.method == "POST":
        allowed = ratelimit.hit(
            "status",
            ratelimit.client_address(request),
            settings.STATUS_LOOKUPS_PER_WINDOW,
            settings.STATUS_LOOKUP_WINDOW,
        )
        if not allowed:
            return render(request, "registration/status_limited.html", {}, status=429)
        if form.is_valid():
            application = _application(
                form.cleaned_data["reference"], form.cleaned_data["date_of_birth"]
            )
            if application:
                stage, label = CITIZEN_STAGES[Status(application.status)]
                return render(
                    request,
                    "registration/status_result.html",
                    {
                        "stage": stage,
                        "label": label,
                        "submitted_at": application.submitted_at,
                        "contact": application.authority.contact,
                    },
                )
            form.add_error(
                None,
                _(
                    "We could not find an application with that reference "
                    "number and date of birth. Check them and try again."
                ),
            )
    return render(request, "registration/status.html", context)
