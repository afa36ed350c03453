"""The citizen's answers, kept in an encrypted cookie that expires when idle.

Any web node can serve any step, and nothing is written to the database until the
application is sent. The cookie is compressed JSON sealed with Fernet (AES-128-CBC and
HMAC-SHA256) under MultiFernet, so keys can be rotated without losing journeys."""

import json
import time
import uuid
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.http import HttpRequest, HttpResponse


@lru_cache(maxsize=4)
def _multi_fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


def _fernet() -> MultiFernet:
    return _multi_fernet(tuple(settings.JOURNEY_COOKIE_KEYS))


# json.dumps(..., separators=(",", ":")) and json.loads, without making an encoder
# for every cookie sealed and looking for the text's encoding in every cookie read
# (the payload is json's ASCII): the same bytes, about a tenth of a seal's cost.
_encode_json = json.JSONEncoder(separators=(",", ":")).encode
_decode_json = json.JSONDecoder().decode


@dataclass
class Journey:
    """What one person has answered so far in one journey."""

    kind: str = "ordinary"
    answers: dict[str, dict[str, Any]] = field(default_factory=dict)
    key: str = field(default_factory=lambda: uuid.uuid4().hex)
    started: float = field(default_factory=time.time)
    seen: float = field(default_factory=time.time)
    reference: str = ""

    @property
    def submitted(self) -> bool:
        return bool(self.reference)

    def to_token(self) -> str:
        payload = _encode_json(
            {
                "k": self.kind,
                "a": self.answers,
                "i": self.key,
                "s": self.started,
                "t": self.seen,
                "r": self.reference,
            }
        ).encode()
        return _fernet().encrypt(zlib.compress(payload)).decode()

    @classmethod
    def from_token(cls, token: str) -> "Journey | None":
        try:
            payload = zlib.decompress(_fernet().decrypt(token.encode()))
            data = _decode_json(payload.decode())
        except (InvalidToken, zlib.error, ValueError, TypeError):
            return None
        return cls(
            kind=data["k"],
            answers=data["a"],
            key=data["i"],
            started=data["s"],
            seen=data["t"],
            reference=data.get("r", ""),
        )


class State:
    MISSING = "missing"
    EXPIRED = "expired"
    ACTIVE = "active"


def read_journey(request: HttpRequest) -> tuple[str, Journey | None]:
    token = request.COOKIES.get(settings.JOURNEY_COOKIE_NAME)
    journey = Journey.from_token(token) if token else None
    if journey is None:
        return State.MISSING, None
    if time.time() - journey.seen > _unsealed_limit():
        return State.EXPIRED, None
    return State.ACTIVE, journey


def _unsealed_limit() -> int:
    """How long after its seal a journey expires: the idle time, plus the age a seal
    may reach before a page view renews it (see refresh_journey), so the answers are
    kept for at least the idle time after the person's last request."""
    return settings.JOURNEY_IDLE_SECONDS + settings.JOURNEY_RESEAL_SECONDS


def write_journey(response: HttpResponse, journey: Journey) -> None:
    journey.seen = time.time()
    response.set_cookie(
        settings.JOURNEY_COOKIE_NAME,
        journey.to_token(),
        httponly=True,
        secure=settings.COOKIE_SECURE,
        samesite="Lax",
    )


def refresh_journey(response: HttpResponse, journey: Journey) -> None:
    """After a page that changed no answer: re-seal the cookie only when its seal is
    older than JOURNEY_RESEAL_SECONDS. Sealing is most of what an unchanged cookie
    costs, and a person moving through the pages re-seals it about once a minute."""
    if time.time() - journey.seen >= settings.JOURNEY_RESEAL_SECONDS:
        write_journey(response, journey)


def clear_journey(response: HttpResponse) -> None:
    response.delete_cookie(settings.JOURNEY_COOKIE_NAME, samesite="Lax")
