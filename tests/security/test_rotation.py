"""`ier rotate-keys`: NINOs, encrypted fields (dates of birth, journey details,
authenticator secrets) and evidence files re-encrypted under the first key, lookup
hashes recomputed, idempotent and restartable, with a dry run."""

from datetime import date
from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from ier.core import crypto
from ier.ero import evidence
from ier.ero.models import AuthenticatorDevice, EvidenceRequest
from ier.registration.models import Application, RegisterEntry, Status
from tests.api.factories import (
    create_application,
    create_officer,
    current_code,
    two_authorities,
)

pytestmark = pytest.mark.django_db

OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()


@pytest.fixture(autouse=True)
def _old_key(settings, tmp_path):
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    settings.EVIDENCE_DIR = tmp_path / "evidence"


def rotate(*args) -> str:
    out = StringIO()
    call_command("rotate_keys", *args, stdout=out)
    return out.getvalue()


def applications(count=3):
    authority, _other = two_authorities()
    return [create_application(authority) for _ in range(count)]


def opens_with(key: str, token: str) -> bool:
    try:
        Fernet(key).decrypt(token.encode())
    except Exception:
        return False
    return True


def test_rotation_re_encrypts_every_nino_under_the_new_key(settings):
    made = applications()
    ninos = {a.pk: a.nino for a in made}
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    assert "National Insurance numbers: 3 examined, 3 changed" in rotate(
        "--chunk-size", "2"
    )
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]
    for application in Application.objects.all():
        assert opens_with(NEW_KEY, application.nino_encrypted)
        assert application.nino == ninos[application.pk]


def test_a_second_run_changes_nothing(settings):
    applications(2)
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    rotate()
    before = list(Application.objects.values_list("nino_encrypted", flat=True))
    assert "National Insurance numbers: 2 examined, 0 changed" in rotate()
    assert list(Application.objects.values_list("nino_encrypted", flat=True)) == before


def test_a_dry_run_changes_nothing(settings):
    applications(2)
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    assert "National Insurance numbers: 2 examined, 2 would change" in rotate(
        "--dry-run"
    )
    for token in Application.objects.values_list("nino_encrypted", flat=True):
        assert opens_with(OLD_KEY, token)


def test_a_new_lookup_hash_key_recomputes_the_hashes(settings):
    (application,) = applications(1)
    settings.LOOKUP_HASH_KEY = "a-new-lookup-hash-key"
    rotate()
    application.refresh_from_db()
    assert application.nino_hash == crypto.lookup_hash(application.nino)
    assert opens_with(OLD_KEY, application.nino_encrypted)


def test_applications_without_a_nino_are_left_alone(settings):
    authority, _other = two_authorities()
    create_application(authority, Status.NO_NINO)
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    assert "National Insurance numbers: 0 examined" in rotate()


def test_evidence_files_are_re_encrypted(settings):
    (application,) = applications(1)
    request = EvidenceRequest.objects.create(
        application=application,
        authority_id=application.authority_id,
        token_hash="y" * 64,
        message="Send a passport",
        requested_by="officer",
        expires_at=timezone.now(),
    )
    stored = evidence.store(request, b"%PDF-1.4 a document", "application/pdf")
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    assert "Evidence files: 1 examined, 1 changed" in rotate()
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]
    assert evidence.read(stored) == b"%PDF-1.4 a document"
    assert "Evidence files: 1 examined, 0 changed" in rotate()


def test_no_nino_is_stored_in_clear(settings):
    (application,) = applications(1)
    row = Application.objects.filter(pk=application.pk).values().get()
    assert application.nino not in str(row)


def raw_tokens(table: str, column: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s FROM %s ORDER BY id" % (column, table))
        return [row[0] for row in cursor.fetchall()]


ENCRYPTED_COLUMNS = [
    ("registration_application", "date_of_birth"),
    ("registration_application", "details"),
    ("registration_registerentry", "date_of_birth"),
    ("ero_authenticatordevice", "key"),
]


def encrypted_rows():
    """Two applications (an overseas one with a passport), a register entry and an
    officer's authenticator app, all under the old key."""
    authority, _other = two_authorities()
    create_application(authority, date_of_birth=date(1971, 6, 29))
    create_application(
        authority, journey="overseas", details={"passport": {"number": "502135326"}}
    )
    RegisterEntry.objects.create(
        authority=authority,
        elector_number="AB-1",
        first_name="Ann",
        date_of_birth=date(1980, 2, 3),
        match_key="k" * 64,
    )
    return create_officer(authority)


def test_every_encrypted_field_is_re_encrypted_and_the_old_key_can_go(settings):
    officer = encrypted_rows()
    before = {a.pk: (a.date_of_birth, a.details) for a in Application.objects.all()}
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    output = rotate("--chunk-size", "1")
    assert (
        "registration.Application (date_of_birth, details): 4 examined, 4 changed"
        in output
    )
    assert "registration.RegisterEntry (date_of_birth): 1 examined, 1 changed" in output
    assert "ero.AuthenticatorDevice (key): 1 examined, 1 changed" in output
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]
    for table, column in ENCRYPTED_COLUMNS:
        for token in raw_tokens(table, column):
            assert opens_with(NEW_KEY, token)
    after = {a.pk: (a.date_of_birth, a.details) for a in Application.objects.all()}
    assert after == before
    assert RegisterEntry.objects.get().date_of_birth == date(1980, 2, 3)
    device = AuthenticatorDevice.objects.get(user=officer.user)
    assert device.verify_token(current_code(officer.user))


def test_a_second_run_leaves_encrypted_fields_as_they_are(settings):
    encrypted_rows()
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    rotate()
    before = {c: raw_tokens(*c) for c in ENCRYPTED_COLUMNS}
    output = rotate()
    assert (
        "registration.Application (date_of_birth, details): 4 examined, 0 changed"
        in (output)
    )
    assert {c: raw_tokens(*c) for c in ENCRYPTED_COLUMNS} == before


def test_a_dry_run_leaves_encrypted_fields_under_the_old_key(settings):
    encrypted_rows()
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    assert "ero.AuthenticatorDevice (key): 1 examined, 1 would change" in rotate(
        "--dry-run"
    )
    for table, column in ENCRYPTED_COLUMNS:
        for token in raw_tokens(table, column):
            assert opens_with(OLD_KEY, token)
