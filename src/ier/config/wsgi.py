import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault(
    "DJANGO_SETTINGS_MODULE",
    "ier.config.settings.%s" % os.environ.get("IER_MODE", "production"),
)
application = get_wsgi_application()
