"""Settings for reading a command's help (`ier COMMAND --help`) on a machine that
has no secrets yet: the test settings, since printing help runs nothing and reaches
no database, key or service."""

from ier.config.settings.test import *  # noqa: F403

IER_MODE = "help"
