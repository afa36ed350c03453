from django.conf import settings
from django.utils import translation


def service(request):
    """Variables the GOV.UK page template reads outside any block. Text that
    is translated is translated here, once a page, rather than each time the
    page reads it."""
    return {
        "service_name": str(settings.SERVICE_NAME),
        "htmlLang": translation.get_language() or "en",
        "assetPath": "/assets",
        # For the warning before a citizen's answers expire.
        "journey_idle_seconds": settings.JOURNEY_IDLE_SECONDS,
        "journey_warning_seconds": settings.JOURNEY_WARNING_SECONDS,
    }
