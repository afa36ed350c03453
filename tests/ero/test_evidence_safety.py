"""Evidence uploads as an attacker would send them: images that unpack to
gigabytes, PDFs with scripts, a link retried without end or used twice at once, and
a request that names another host for the emailed link."""

import io
import re
import threading

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from PIL import Image, ImageFile

from ier.ero import evidence
from ier.ero.models import EvidenceFile, EvidenceRequest
from tests.ero.test_evidence import app, ask, jpeg_with_location  # noqa: F401
from tests.races import postgresql_only

pytestmark = pytest.mark.django_db

SCRIPTED_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/OpenAction 2 0 R>>endobj\n"
    b"2 0 obj<</S/JavaScript/JS(app.alert(document.cookie))>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def upload_path() -> str:
    return re.search(r"/evidence/[^/\s]+/", mail.outbox[-1].body).group(0)


@pytest.fixture
def link(officer_client, app, django_capture_on_commit_callbacks):  # noqa: F811
    with django_capture_on_commit_callbacks(execute=True):
        ask(officer_client, app)
    return upload_path()


def bomb_png(width: int, height: int) -> bytes:
    """A real PNG of one colour: a few kilobytes that decode to `width * height`
    pixels."""
    out = io.BytesIO()
    Image.new("1", (width, height)).save(out, format="PNG")
    return out.getvalue()


def test_an_image_over_the_pixel_limit_is_refused_before_it_is_decoded(
    link, monkeypatch
):
    # 49 million pixels: between Pillow's warning and its error, so decoded today.
    data = bomb_png(7000, 7000)
    assert len(data) < 200_000
    decoded = []
    real_load = ImageFile.ImageFile.load
    monkeypatch.setattr(
        ImageFile.ImageFile,
        "load",
        lambda image: decoded.append(image.size) or real_load(image),
    )
    response = Client().post(link, {"document": SimpleUploadedFile("scan.png", data)})
    assert response.status_code == 400
    assert "must be smaller than 30 megapixels" in response.content.decode()
    assert decoded == []
    assert not EvidenceFile.objects.exists()


def test_a_photo_a_phone_takes_by_default_is_kept(link):
    """24 million pixels (a 5712 x 4284 photo) is within the limit."""
    out = io.BytesIO()
    Image.new("RGB", (5712, 4284), "white").save(out, format="JPEG", quality=20)
    response = Client().post(
        link, {"document": SimpleUploadedFile("passport.jpg", out.getvalue())}
    )
    assert "Documents sent" in response.content.decode()


def test_pillows_bomb_warning_is_an_error(settings, monkeypatch):
    """Were the limit above Pillow's own, its warning still stops the decoding."""
    monkeypatch.setattr(evidence, "MAX_PIXELS", 10**9)
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    upload = SimpleUploadedFile("scan.png", bomb_png(40, 40))
    with pytest.raises(evidence.Unacceptable, match="30 megapixels"):
        evidence.checked_content(upload)


def test_a_link_takes_a_bounded_number_of_uploads(link, settings):
    settings.EVIDENCE_UPLOAD_ATTEMPTS = 3
    applicant = Client()
    for _ in range(3):
        refused = applicant.post(
            link, {"document": SimpleUploadedFile("a.txt", b"not a document")}
        )
        assert refused.status_code == 400
    closed = applicant.post(
        link, {"document": SimpleUploadedFile("a.jpg", jpeg_with_location())}
    )
    assert closed.status_code == 429
    assert "This link no longer works" in closed.content.decode()
    assert not EvidenceFile.objects.exists()


def test_a_pdf_is_served_to_officers_only_as_a_sandboxed_download(
    link,
    officer_client,
    app,  # noqa: F811
):
    Client().post(link, {"document": SimpleUploadedFile("s.pdf", SCRIPTED_PDF)})
    kept = EvidenceFile.objects.for_authority(app.authority).get()
    download = officer_client.get(
        "/ero/applications/%s/evidence/%d/" % (app.reference, kept.pk)
    )
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    policy = download["Content-Security-Policy"]
    assert "sandbox" in policy.split(";")[0]
    assert "default-src 'none'" in policy


def test_emailed_links_are_built_from_the_service_address_not_the_host_header(
    officer_client,
    app,  # noqa: F811
    settings,
    django_capture_on_commit_callbacks,
):
    settings.SERVICE_URL = "https://register.example.gov.uk"
    with django_capture_on_commit_callbacks(execute=True):
        officer_client.post(
            "/ero/applications/%s/evidence-request/" % app.reference,
            {"message": "Send your passport"},
            HTTP_HOST="127.0.0.1:6666",
        )
    links = re.findall(r"https?://\S+", mail.outbox[-1].body)
    assert links and all(
        link.startswith("https://register.example.gov.uk/evidence/") for link in links
    )


def test_invitation_links_are_built_from_the_service_address(
    manager_client, settings, django_capture_on_commit_callbacks
):
    settings.SERVICE_URL = "https://register.example.gov.uk/"
    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post(
            "/ero/team/",
            {"email": "new.person@example.gov.uk", "role": "officer"},
            HTTP_HOST="localhost:6666",
        )
    links = re.findall(r"https?://\S+", mail.outbox[-1].body)
    assert links and all(
        link.startswith("https://register.example.gov.uk/ero/invitation/")
        for link in links
    )


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_of_two_uploads_sent_at_once_on_one_link_exactly_one_is_kept(
    officer_client,
    app,  # noqa: F811
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        ask(officer_client, app)
    path = upload_path()
    both_checked = threading.Barrier(2, timeout=30)
    real_check = evidence.checked_content

    def check_then_wait(upload):
        checked = real_check(upload)
        both_checked.wait()  # both have found the link open and checked their file
        return checked

    monkeypatch.setattr(evidence, "checked_content", check_then_wait)
    answers = []

    def send(name):
        try:
            answers.append(
                Client().post(
                    path, {"document": SimpleUploadedFile(name, jpeg_with_location())}
                )
            )
        finally:
            connection.close()

    senders = [threading.Thread(target=send, args=(n,)) for n in ("a.jpg", "b.jpg")]
    for sender in senders:
        sender.start()
    for sender in senders:
        sender.join()
    statuses = sorted(answer.status_code for answer in answers)
    assert statuses == [200, 404]
    assert EvidenceFile.objects.for_authority(app.authority).count() == 1
    assert EvidenceRequest.objects.for_authority(app.authority).get().used_at
