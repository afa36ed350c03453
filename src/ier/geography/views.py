"""Public pages of the geography app: find the electoral registration office that
serves a postcode."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from ier.core.forms import field_params
from ier.core.nocache import never_cache
from ier.geography.forms import ContactPostcodeForm
from ier.geography.lookup import offices_for_postcode

UNKNOWN_POSTCODE = _(
    "We cannot find this postcode. Check it is right, or search for your council "
    "on GOV.UK"
)


@never_cache
@require_http_methods(["GET", "POST"])
def contact_your_council(request: HttpRequest) -> HttpResponse:
    """The postcode is posted, not put in the address, so it stays out of logs."""
    form = ContactPostcodeForm(data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        councils = offices_for_postcode(form.cleaned_data["postcode"])
        if councils:
            return render(
                request,
                "geography/contact_result.html",
                {"postcode": form.cleaned_data["postcode"], "councils": councils},
            )
        form.add_error("postcode", UNKNOWN_POSTCODE)
    context = {"form": form, "field": lambda name, **p: field_params(form, name, **p)}
    return render(request, "geography/contact.html", context)
