"""No log line, at any level and in any field, carries a NINO, a date of birth or an
email address while an application is submitted, verified and pulled by its EMS."""

import json
import logging

import pytest

from ier.core.logging import JsonFormatter
from ier.registration.models import Application, Status
from tests.api.factories import bearer, create_token
from tests.citizen.helpers import ordinary_answers, submit
from tests.verification.helpers import a_verifier, drain, on_record

pytestmark = pytest.mark.django_db


class Everything(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []
        self.setFormatter(JsonFormatter())

    def emit(self, record):
        self.lines.append(self.format(record))


@pytest.fixture
def captured():
    """Every record from every logger, formatted as production writes it."""
    handler = Everything()
    root = logging.getLogger()
    loggers = [root] + [
        logging.getLogger(name) for name in logging.root.manager.loggerDict
    ]
    levels = {logger: logger.level for logger in loggers}
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
    root.addHandler(handler)
    yield handler.lines
    root.removeHandler(handler)
    for logger, level in levels.items():
        logger.setLevel(level)


def forms_of(case) -> list[str]:
    nino = case.nino.upper().replace(" ", "")
    dob = case.date_of_birth
    return [
        nino,
        " ".join([nino[:2], nino[2:4], nino[4:6], nino[6:8], nino[8:]]),
        dob.isoformat(),
        dob.strftime("%d/%m/%Y"),
        "%d %s %d" % (dob.day, dob.strftime("%B"), dob.year),
        "applicant.for.logs@example.com",
    ]


def test_no_log_line_holds_a_nino_or_date_of_birth(client, captured):
    _people, cases = on_record(40)
    case = next(c for c in cases if c.variation == "exact")
    answers = ordinary_answers(
        **{
            "name": {
                "first_name": case.first_name,
                "middle_names": case.middle_names,
                "last_name": case.last_name,
            },
            "date-of-birth": {
                "date_of_birth-day": str(case.date_of_birth.day),
                "date_of_birth-month": str(case.date_of_birth.month),
                "date_of_birth-year": str(case.date_of_birth.year),
            },
            "national-insurance-number": {"nino": case.nino},
            "contact": {"email": "applicant.for.logs@example.com", "phone": ""},
        }
    )
    assert submit(client, answers).status_code == 302
    drain(a_verifier())
    application = Application.objects.get()
    assert application.status != Status.SUBMITTED
    secret = create_token(application.authority)
    pulled = client.get(
        "/api/v1/applications/%s" % application.reference, **bearer(secret)
    )
    assert pulled.status_code == 200
    assert captured, "nothing was logged: the capture is broken"
    assert any(json.loads(line)["event"] for line in captured)
    text = "\n".join(captured).upper()
    for value in forms_of(case):
        assert value.upper() not in text, value
