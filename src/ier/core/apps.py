from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ier.core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the deployment checks of the security settings.
        from ier.core.checks import security  # noqa: F401
        from ier.core.csrf_strings import install

        install()
