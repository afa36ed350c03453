import io
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.utils import timezone
from PIL import Image

from ier.ero import evidence
from ier.ero.models import EvidenceFile, EvidenceRequest
from ier.registration.models import Application, Status
from tests.api.factories import create_application

pytestmark = pytest.mark.django_db


def jpeg_with_location() -> bytes:
    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x8825] = {2: (51.0, 30.0, 0.0)}  # GPS information
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def ask(officer_client, app, message="Send your passport"):
    return officer_client.post(
        "/ero/applications/%s/evidence-request/" % app.reference, {"message": message}
    )


def upload_link() -> str:
    return re.search(r"https?://\S+/evidence/\S+/", mail.outbox[-1].body).group(0)


@pytest.fixture
def app(authority):
    return create_application(
        authority, Status.DOWNLOADED, downloaded_at=timezone.now()
    )


def test_asking_for_evidence_emails_a_link_without_personal_data(
    officer_client, app, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(officer_client, app)
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == Status.EVIDENCE_REQUESTED
    assert mail.outbox[-1].to == [app.email]
    link = upload_link()
    for personal in (
        app.reference,
        app.first_name,
        app.last_name,
        app.address_postcode,
    ):
        assert personal not in link
    assert "Send your passport" in mail.outbox[-1].body


def test_applicant_uploads_once_and_officer_sees_it(
    officer_client, app, django_capture_on_commit_callbacks, settings
):
    with django_capture_on_commit_callbacks(execute=True):
        ask(officer_client, app)
    path = upload_link().split("testserver")[-1]
    applicant = Client()
    assert applicant.get(path).status_code == 200
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    response = applicant.post(
        path,
        {
            "document": SimpleUploadedFile("photo.jpg", jpeg_with_location()),
            "document_2": SimpleUploadedFile("statement.pdf", pdf),
        },
    )
    assert response.status_code == 200
    assert "Documents sent" in response.content.decode()
    assert applicant.get(path).status_code == 404  # single use

    files = list(
        EvidenceFile.objects.for_authority(app.authority).filter(application=app)
    )
    assert [f.content_type for f in files] == ["image/jpeg", "application/pdf"]
    stored = list(settings.EVIDENCE_DIR.rglob("*"))
    on_disk = [p for p in stored if p.is_file()]
    assert len(on_disk) == 2
    assert all(b"%PDF" not in p.read_bytes() for p in on_disk)  # encrypted

    page = officer_client.get("/ero/applications/%s/" % app.reference).content.decode()
    assert "Document 1" in page
    download = officer_client.get(
        "/ero/applications/%s/evidence/%d/" % (app.reference, files[0].pk)
    )
    picture = Image.open(io.BytesIO(download.content))
    assert picture.size == (40, 30)
    assert 0x8825 not in picture.getexif()  # location stripped by re-encoding
    assert (
        officer_client.get(
            "/ero/applications/%s/evidence/%d/" % (app.reference, files[1].pk)
        ).content
        == pdf
    )


def test_wrong_type_and_disguised_files_are_refused(
    officer_client, app, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ask(officer_client, app)
    path = upload_link().split("testserver")[-1]
    response = Client().post(
        path,
        {"document": SimpleUploadedFile("passport.jpg", b"MZ\x90\x00 not a picture")},
    )
    assert response.status_code == 400
    assert "must be a JPEG, PNG or PDF" in response.content.decode()
    broken = Client().post(
        path, {"document": SimpleUploadedFile("x.png", b"\x89PNG\r\n\x1a\nbroken")}
    )
    assert "could not be read as a photo" in broken.content.decode()
    assert not EvidenceFile.objects.exists()


@override_settings(EVIDENCE_MAX_BYTES=1000)
def test_large_files_are_refused(
    officer_client, app, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ask(officer_client, app)
    path = upload_link().split("testserver")[-1]
    response = Client().post(
        path, {"document": SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * 2000)}
    )
    assert "smaller than 10MB" in response.content.decode()


def test_expired_or_unknown_links_do_not_work(
    officer_client, app, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ask(officer_client, app)
    path = upload_link().split("testserver")[-1]
    EvidenceRequest.objects.update(expires_at=timezone.now())
    assert Client().get(path).status_code == 404
    assert Client().get("/evidence/not-a-token/").status_code == 404


def test_no_email_address_is_explained(officer_client, authority):
    app = create_application(
        authority, Status.DOWNLOADED, downloaded_at=timezone.now(), email=""
    )
    response = ask(officer_client, app)
    assert response.status_code == 400
    assert "gave no email address" in response.content.decode()


def test_evidence_is_purged_with_the_application(app, settings):
    request = EvidenceRequest.objects.create(
        application=app,
        authority=app.authority,
        token_hash="x" * 64,
        requested_by="officer",
        expires_at=timezone.now(),
    )
    stored = evidence.store(request, b"%PDF-1.4 test", "application/pdf")
    path = settings.EVIDENCE_DIR / stored.stored_name[:2] / stored.stored_name
    assert path.exists()
    Application.objects.filter(pk=app.pk).delete()
    assert not path.exists()
