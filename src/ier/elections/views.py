"""Public pages: the elections coming up at a postcode, with their deadlines."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from ier.core.forms import field_params
from ier.elections.forms import ElectionsPostcodeForm
from ier.elections.upcoming import councils_at, standing
from ier.geography.views import UNKNOWN_POSTCODE


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
                {"postcode": postcode, "standing": standing(councils)},
            )
        form.add_error("postcode", UNKNOWN_POSTCODE)
    context = {"form": form, "field": lambda name, **p: field_params(form, name, **p)}
    return render(request, "elections/where_you_live.html", context)
