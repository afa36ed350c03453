"""Pages that explain rather than ask: the start pages of the journeys for people
abroad or serving, and the ways to register that need a paper form."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from ier.citizen import addressing
from ier.citizen.journeys import JOURNEYS
from ier.core.nocache import never_cache
from ier.geography.forms import ContactPostcodeForm
from ier.geography.models import Authority
from ier.geography.postcodes import is_northern_ireland


def journey_start(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in JOURNEYS or kind == "ordinary":
        raise Http404
    return render(request, "registration/start_journey.html", {"kind": kind})


class CouncilFinderForm(ContactPostcodeForm):
    """The council-finder question, asked about the address to register at."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["postcode"].help_text = _(
            "The postcode of the address you want to register at."
        )


def councils_for(postcode: str) -> list[Authority]:
    """The councils whose electoral services cover the postcode (two where it
    crosses a boundary)."""
    found = addressing.authorities_for_postcode(postcode)
    if not found:
        found = list({a.authority for a in addressing.addresses_at(postcode)})
    return sorted(found, key=lambda authority: authority.name)


@never_cache
@require_http_methods(["GET", "POST"])
def other_ways(request: HttpRequest) -> HttpResponse:
    """How to register anonymously, without a fixed address, or on paper, with the
    contact details of the council that can help."""
    form = CouncilFinderForm(data=request.POST if request.method == "POST" else None)
    context: dict = {"form": form, "searched": False}
    if request.method == "POST" and form.is_valid():
        postcode = form.cleaned_data["postcode"]
        context["searched"] = True
        context["northern_ireland"] = is_northern_ireland(postcode)
        context["contacts"] = [
            authority.contact for authority in councils_for(postcode)
        ]
        if not context["contacts"] and not context["northern_ireland"]:
            form.add_error(
                "postcode",
                _(
                    "We cannot find a council for this postcode. Check it is right, "
                    "or search for your council on GOV.UK"
                ),
            )
            context["searched"] = False
    return render(request, "registration/other_ways.html", context)
