"""Evidence of identity: the single-use upload link, checking what was uploaded, and
keeping it encrypted outside the web root.

A file's type is read from its first bytes, never from its name or the browser's
word. Images are decoded and saved afresh with Pillow, which drops their metadata
(location, camera) and anything hidden after the picture; PDFs are kept as sent.
Everything is encrypted with the field encryption keys before it touches the disk,
under a random name that says nothing about the applicant."""

import io
import secrets
import warnings
from datetime import timedelta
from pathlib import Path

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from ier.core import ratelimit
from ier.core.paths import service_link
from ier.ero import links
from ier.ero.links import token_hash
from ier.ero.models import EvidenceFile, EvidenceRequest
from ier.registration.models import Application

SIGNATURES = [
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"%PDF-", "application/pdf"),
]
#: A photo of a document never needs more: the largest default of common phone
#: cameras is 24 million pixels (5712 x 4284), an A4 page scanned at 300 dpi is 8.7
#: million. A larger "image" is far more likely a decompression bomb (a small file
#: that unpacks to gigabytes); its size is read from the header and refused before
#: a single pixel is decoded. Decoded, 30 million RGB pixels take 90 MB.
MAX_PIXELS = 30_000_000
#: Kept photos are scaled down to fit this square (an officer reads them on screen).
MAX_EDGE = 4000


class Unacceptable(Exception):
    """Raised with a message the applicant can act on."""


def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key) for key in settings.FIELD_ENCRYPTION_KEYS])


def sniff(head: bytes) -> str | None:
    for signature, content_type in SIGNATURES:
        if head.startswith(signature):
            return content_type
    return None


def _too_many_pixels() -> Unacceptable:
    return Unacceptable(
        _(
            "The selected photo must be smaller than 30 megapixels. Take it again "
            "at a lower resolution"
        )
    )


def _reencode(data: bytes, content_type: str) -> bytes:
    try:
        with warnings.catch_warnings():
            # Pillow only warns between MAX_IMAGE_PIXELS and twice that.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size  # from the header: nothing decoded yet
                if width * height > MAX_PIXELS:
                    raise _too_many_pixels()
                image.load()
                picture = (
                    image.convert("RGB")
                    if content_type == "image/jpeg"
                    else image.copy()
                )
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels() from None
    except (UnidentifiedImageError, OSError, ValueError):
        raise Unacceptable(
            _("The selected file could not be read as a photo")
        ) from None
    picture.thumbnail((MAX_EDGE, MAX_EDGE))
    out = io.BytesIO()
    if content_type == "image/jpeg":
        picture.save(out, format="JPEG", quality=90)
    else:
        picture.save(out, format="PNG", optimize=True)
    return out.getvalue()


def checked_content(upload) -> tuple[bytes, str]:
    """The bytes to keep and their type, or Unacceptable."""
    if upload.size > settings.EVIDENCE_MAX_BYTES:
        raise Unacceptable(_("The selected file must be smaller than 10MB"))
    data = upload.read(settings.EVIDENCE_MAX_BYTES + 1)
    if len(data) > settings.EVIDENCE_MAX_BYTES:
        raise Unacceptable(_("The selected file must be smaller than 10MB"))
    content_type = sniff(data[:16])
    if content_type is None:
        raise Unacceptable(_("The selected file must be a JPEG, PNG or PDF"))
    if content_type.startswith("image/"):
        data = _reencode(data, content_type)
    return data, content_type


def _path(stored_name: str) -> Path:
    return Path(settings.EVIDENCE_DIR) / stored_name[:2] / stored_name


def store(request: EvidenceRequest, data: bytes, content_type: str) -> EvidenceFile:
    stored_name = secrets.token_hex(20)
    path = _path(stored_name)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    path.write_bytes(_fernet().encrypt(data))
    path.chmod(0o600)
    return EvidenceFile.objects.create(
        request=request,
        application_id=request.application_id,
        authority_id=request.authority_id,
        stored_name=stored_name,
        content_type=content_type,
        size=len(data),
    )


def read(evidence: EvidenceFile) -> bytes:
    return _fernet().decrypt(_path(evidence.stored_name).read_bytes())


def remove_file(evidence: EvidenceFile) -> None:
    _path(evidence.stored_name).unlink(missing_ok=True)


def open_request(token: str) -> EvidenceRequest | None:
    """The request this link belongs to, if it is still usable."""
    return links.open_request(EvidenceRequest, token, "application")


def locked_request(request_id: int) -> EvidenceRequest | None:
    """The request, locked until the transaction ends, if its link is still open."""
    return links.locked_request(EvidenceRequest, request_id)


def may_try_again(request: EvidenceRequest) -> bool:
    """Counts one upload on the link: a link takes EVIDENCE_UPLOAD_ATTEMPTS, so a
    refused file can be sent again after a mistake, but not without end."""
    return ratelimit.hit(
        "evidence-upload",
        request.token_hash,
        settings.EVIDENCE_UPLOAD_ATTEMPTS,
        settings.EVIDENCE_LINK_DAYS * 86400,
    )


@transaction.atomic
def create_request(
    application: Application, message: str, officer_name: str
) -> EvidenceRequest:
    """Record the request and email the applicant a link that holds only a random
    token; the email says nothing about their identity."""
    token = secrets.token_urlsafe(32)
    request = EvidenceRequest.objects.create(
        application=application,
        authority_id=application.authority_id,
        token_hash=token_hash(token),
        message=message,
        requested_by=officer_name,
        expires_at=timezone.now() + timedelta(days=settings.EVIDENCE_LINK_DAYS),
    )
    link = service_link(reverse("evidence:upload", args=[token]))
    with translation.override(application.language or "en"):
        body = _(
            "Your electoral registration office needs more evidence of your identity "
            "before it can add you to the electoral register.\n\n%(message)s\n\n"
            "Upload photos or PDFs of your documents here (the link works once, for "
            "%(days)d days):\n%(link)s\n\nIf you did not apply to register to vote, "
            "contact your council's electoral services team."
        ) % {"message": message, "days": settings.EVIDENCE_LINK_DAYS, "link": link}
        subject = _("Register to vote: send evidence of your identity")
    transaction.on_commit(lambda: send_mail(subject, body, None, [application.email]))
    return request
