from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Housekeeping on the top floor: the worker, retention, key rotation, the demo and
    seeding, reorganisations of councils."""

    name = "ier.ops"
