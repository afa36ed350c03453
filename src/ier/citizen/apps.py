from django.apps import AppConfig


class CitizenConfig(AppConfig):
    """The citizen's channel: the online journeys, the status lookup and their pages."""

    name = "ier.citizen"
