"""Model fields whose values are stored encrypted (`ier.core.crypto`) in a text
column and read back as the Python value, so code using `application.date_of_birth`
neither knows nor cares.

An encrypted column cannot be compared in SQL (two tokens of one value differ), so
every lookup but `isnull` is refused: matching goes through a keyed hash kept in a
column of its own, or compares after reading.

Serialising models (`dumpdata`) decrypts, like any other read: it is not a backup
tool here (docs/security.md, "Backups and exports")."""

import datetime
import json
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import FieldError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.expressions import Combinable

from ier.core import crypto

_ST = TypeVar("_ST")
_GT = TypeVar("_GT")

# Generic like django-stubs' fields, so mypy knows each field's value type although
# the column is text.
if TYPE_CHECKING:

    class _TextColumn(models.TextField[_ST, _GT]): ...

else:

    class _TextColumn(models.TextField):
        def __class_getitem__(cls, _types):
            return cls


class EncryptedField(_TextColumn[_ST, _GT]):
    """A text column holding a Fernet token. Subclasses say how the value becomes
    text and back; None is stored as NULL, the empty string as itself."""

    def to_text(self, value: Any) -> str:
        return str(value)

    def from_text(self, text: str) -> Any:
        return text

    def get_lookup(self, lookup_name: str):
        if lookup_name != "isnull":
            raise FieldError(
                "%s is encrypted and cannot be compared in the database; use its "
                "keyed hash or compare after reading." % self.name
            )
        return super().get_lookup(lookup_name)

    def get_transform(self, lookup_name: str):
        raise FieldError("%s is encrypted and has no transforms." % self.name)

    def get_prep_value(self, value: Any) -> str | None:
        if value is None:
            return None
        return crypto.encrypt(self.to_text(value))

    def from_db_value(self, value: str | None, expression, connection) -> Any:
        if value is None:
            return None
        return self.from_text(crypto.decrypt(value))

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) and self.parses_text:
            return self.from_text(value)
        return value

    #: Whether a string given to `to_python` is the value's text form (a date, a
    #: JSON document), as `value_to_string` writes it for a serialised copy.
    parses_text = False

    def value_to_string(self, obj: models.Model) -> str:
        value = self.value_from_object(obj)
        return "" if value is None else self.to_text(value)


class EncryptedTextField(EncryptedField[str | Combinable, str]):
    pass


class EncryptedDateField(
    EncryptedField[datetime.date | Combinable | None, datetime.date | None]
):
    parses_text = True

    def to_text(self, value: datetime.date) -> str:
        return value.isoformat()

    def from_text(self, text: str) -> datetime.date | None:
        return datetime.date.fromisoformat(text) if text else None


class EncryptedJSONField(EncryptedField[Any, Any]):
    """A JSON document, encrypted whole: no part of it can be searched."""

    # Any JSON value, for django-stubs' mypy plugin (as its JSONField says).
    _pyi_private_set_type: Any
    _pyi_private_get_type: Any

    parses_text = True

    def to_text(self, value: Any) -> str:
        return json.dumps(value, cls=DjangoJSONEncoder)

    def from_text(self, text: str) -> Any:
        return json.loads(text) if text else None
