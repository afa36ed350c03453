"""The "stay on this page" button of the timeout warning: refresh the answers cookie
without touching the answers."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods

from ier.citizen.session import State, read_journey, write_journey
from ier.core.nocache import never_cache


@never_cache
@require_http_methods(["POST"])
def keep_alive(request: HttpRequest) -> HttpResponse:
    """204 with a fresh cookie while the answers are still held; 410 once they have
    expired or were never there, so the page can send the person on."""
    state, journey = read_journey(request)
    if state != State.ACTIVE or journey is None:
        return HttpResponse(status=410, content_type="text/plain")
    response = HttpResponse(status=204, content_type="text/plain")
    write_journey(response, journey)
    return response
