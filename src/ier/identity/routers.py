"""The identity service keeps its records in a database of its own when one is
configured (alias `identity`); otherwise (in tests) they share the default one."""

from django.conf import settings

IDENTITY_ALIAS = "identity"
APP_LABEL = "identity"


def has_own_database() -> bool:
    return IDENTITY_ALIAS in settings.DATABASES


def identity_database() -> str:
    return IDENTITY_ALIAS if has_own_database() else "default"


class IdentityRouter:
    def db_for_read(self, model, **hints):
        return identity_database() if model._meta.app_label == APP_LABEL else None

    db_for_write = db_for_read

    def allow_relation(self, first, second, **hints):
        together = (first._meta.app_label == APP_LABEL) == (
            second._meta.app_label == APP_LABEL
        )
        return None if together else False

    def allow_migrate(self, db, app_label, **hints):
        if not has_own_database():
            return None
        return (app_label == APP_LABEL) == (db == IDENTITY_ALIAS)
