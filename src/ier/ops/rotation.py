"""Re-encrypting stored personal data under the current field key.

A new key is added first in FIELD_ENCRYPTION_KEYS (it encrypts; the old ones still
decrypt); this then re-encrypts every National Insurance number, every value of an
encrypted field (`ier.core.fields`: dates of birth, journey details, authenticator
secrets...) and every evidence file, and recomputes each NINO's lookup hash (so
LOOKUP_HASH_KEY can change too).
Once a run reports nothing left, the old key can be removed from the environment.
Rows and files already under the current key are skipped, so a run stopped half way
is finished by running it again."""

import os
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.db import models, transaction
from django.db.models.functions import Cast

from ier.core import crypto
from ier.core.fields import EncryptedField
from ier.ero import evidence
from ier.ero.models import EvidenceFile
from ier.registration.models import Application


@dataclass
class RotationResult:
    examined: int = 0
    changed: int = 0


def _new_values(token: str, digest: str) -> dict[str, str] | None:
    nino = crypto.decrypt(token)
    rotated = crypto.rotated_bytes(token.encode())
    new_digest = crypto.lookup_hash(nino)
    if rotated is None and new_digest == digest:
        return None
    return {
        "nino_encrypted": rotated.decode() if rotated else token,
        "nino_hash": new_digest,
    }


def rotate_ninos(chunk_size: int, dry_run: bool = False) -> RotationResult:
    result = RotationResult()
    last_pk = 0
    while True:
        rows = list(
            Application.objects.filter(pk__gt=last_pk)
            .exclude(nino_encrypted="")
            .order_by("pk")
            .values_list("pk", "nino_encrypted", "nino_hash")[:chunk_size]
        )
        if not rows:
            return result
        last_pk = rows[-1][0]
        result.examined += len(rows)
        found = ((pk, _new_values(token, digest)) for pk, token, digest in rows)
        changes = {pk: values for pk, values in found if values}
        result.changed += len(changes)
        if changes and not dry_run:
            _save(changes)


def _save(changes: dict[int, dict[str, str]]) -> None:
    with transaction.atomic():
        for pk, values in changes.items():
            Application.objects.filter(pk=pk).update(**values)


def encrypted_fields() -> list[tuple[type[models.Model], list[str]]]:
    """Every model with encrypted fields, and their names."""
    found = []
    for model in apps.get_models():
        names = [
            field.name
            for field in model._meta.concrete_fields
            if isinstance(field, EncryptedField)
        ]
        if names:
            found.append((model, names))
    return found


def rotate_fields(
    model: type[models.Model], names: list[str], chunk_size: int, dry_run: bool = False
) -> RotationResult:
    """Re-encrypt one model's encrypted columns, reading and writing the tokens
    themselves (cast to plain text), so values already current are left as they are."""
    result = RotationResult()
    tokens = {"token_%s" % name: Cast(name, models.TextField()) for name in names}
    rows = model._default_manager.annotate(**tokens).order_by("pk")
    last_pk = 0
    while batch := list(
        rows.filter(pk__gt=last_pk).values_list("pk", *tokens)[:chunk_size]
    ):
        last_pk = batch[-1][0]
        changes: dict[int, dict[str, models.Value]] = {}
        for pk, *values in batch:
            for name, token in zip(names, values, strict=True):
                if not token:
                    continue
                result.examined += 1
                rotated = crypto.rotated_bytes(token.encode())
                if rotated is not None:
                    result.changed += 1
                    changes.setdefault(pk, {})[name] = models.Value(
                        rotated.decode(), output_field=models.TextField()
                    )
        if changes and not dry_run:
            with transaction.atomic():
                for pk, values in changes.items():
                    model._default_manager.filter(pk=pk).update(**values)
    return result


def rotate_evidence(dry_run: bool = False) -> RotationResult:
    result = RotationResult()
    names = EvidenceFile.objects.order_by("pk").values_list("stored_name", flat=True)
    for stored_name in names.iterator():
        path = evidence._path(stored_name)
        if not path.exists():
            continue
        result.examined += 1
        rotated = crypto.rotated_bytes(path.read_bytes())
        if rotated is None:
            continue
        result.changed += 1
        if not dry_run:
            _replace(path, rotated)
    return result


def _replace(path: Path, data: bytes) -> None:
    """Write beside the file, then rename over it: a reader sees old or new, whole."""
    temporary = path.with_name(path.name + ".rotating")
    temporary.write_bytes(data)
    temporary.chmod(0o600)
    os.replace(temporary, path)
