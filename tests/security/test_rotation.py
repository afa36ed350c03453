"""`ier rotate-keys`: NINOs and evidence files re-encrypted under the first key,
lookup hashes recomputed, idempotent and restartable, with a dry run."""

from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.utils import timezone

from ier.core import crypto
from ier.ero import evidence
from ier.ero.models import EvidenceRequest
from ier.registration.models import Application, Status
from tests.api.factories import create_application, two_authorities

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
    assert "3 examined, 3 changed" in rotate("--chunk-size", "2")
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]
    for application in Application.objects.all():
        assert opens_with(NEW_KEY, application.nino_encrypted)
        assert application.nino == ninos[application.pk]


def test_a_second_run_changes_nothing(settings):
    applications(2)
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    rotate()
    before = list(Application.objects.values_list("nino_encrypted", flat=True))
    assert "2 examined, 0 changed" in rotate()
    assert list(Application.objects.values_list("nino_encrypted", flat=True)) == before


def test_a_dry_run_changes_nothing(settings):
    applications(2)
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    assert "2 examined, 2 would change" in rotate("--dry-run")
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
    assert "0 examined" in rotate()


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
