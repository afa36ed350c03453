"""Applications made from synthetic applicants, for tests, benchmarks and the demo:
the same columns the journey fills in, saved the way a submission saves them."""

import uuid
from collections.abc import Iterable, Sequence

from ier.geography.models import Address
from ier.identity.synthetic import SyntheticCase
from ier.registration import lifecycle, references
from ier.registration.models import Application, Status
from ier.registration.validators import normalise_nino
from ier.verification import intake


def application_for(case: SyntheticCase, address: Address) -> Application:
    application = Application(
        reference=references.new_reference(),
        idempotency_key=uuid.uuid4().hex,
        journey="ordinary",
        status=Status.SUBMITTED,
        authority_id=address.authority_id,
        first_name=case.first_name.strip(),
        middle_names=case.middle_names.strip(),
        last_name=case.last_name.strip(),
        previous_first_name=case.previous_first_name,
        previous_middle_names=case.previous_middle_names,
        previous_last_name=case.previous_last_name,
        date_of_birth=case.date_of_birth,
        no_nino_reason=case.no_nino_reason,
        nationalities=["GB"],
        address_uprn=address.uprn,
        address_line_1=address.line_1,
        address_line_2=address.line_2,
        address_line_3=address.line_3,
        address_town=address.town,
        address_postcode=address.postcode,
    )
    application.nino = normalise_nino(case.nino) if case.nino else ""
    return application


def submit(application: Application) -> Application:
    """Save one application as the journey does: with its first event, its
    duplicate check and its queued verification, in one transaction."""
    lifecycle.submit(application, intake.before_insert, intake.after_insert)
    return application


def submit_cases(
    cases: Iterable[SyntheticCase], addresses: Sequence[Address]
) -> dict[int, SyntheticCase]:
    """Submit one application per case, each at one of `addresses` in turn; returns
    the case behind each application id."""
    made = {}
    for index, case in enumerate(cases):
        application = submit(application_for(case, addresses[index % len(addresses)]))
        made[application.pk] = case
    return made
