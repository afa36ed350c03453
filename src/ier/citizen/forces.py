"""Service voters: members of the armed forces and their partners (this module), and
Crown servants and British Council staff posted abroad and theirs (crown.py).

Both make a service declaration at a UK address, then answer the ordinary questions
about nationality, age, name and identity; the nation of the UK address decides
which rules apply, as for anyone living there."""

from ier.citizen.forms import service
from ier.citizen.forms.overseas import EmailContactForm, WaysToVoteForm
from ier.citizen.journey import Journey, Step
from ier.citizen.ordinary import from_ordinary

# The ordinary questions a service voter answers too, in the ordinary order.
SHARED = (
    "nationality",
    "immigration-status",
    "eu-rights",
    "date-of-birth",
    "name",
    "previous-name",
    "national-insurance-number",
)


def service_journey(
    kind: str, statement: type, duty: Step, correspondence: type
) -> Journey:
    """A service voter's journey: statement, UK address, the ordinary questions, the
    duty (service or job) details, where to write, and how to vote."""
    return Journey(
        kind=kind,
        url_prefix="register",
        start="registration:start_%s" % kind,
        steps=(
            Step("service-statement", statement),
            Step("uk-address", service.UkAddressForm),
            Step(
                "address",
                service.ServicePostcodeForm,
                "registration/steps/postcode.html",
                exit=from_ordinary("address").exit,
                clears=("address-select", "address-manual"),
            ),
            from_ordinary("address-select"),
            from_ordinary("address-manual"),
            *(from_ordinary(slug) for slug in SHARED),
            duty,
            Step("correspondence-address", correspondence),
            Step(
                "correspondence-details",
                service.CorrespondenceAddressForm,
                applies=service.writes_elsewhere,
            ),
            from_ordinary("open-register"),
            Step(
                "ways-to-vote",
                WaysToVoteForm,
                "registration/steps/ways_to_vote.html",
            ),
            Step("contact", EmailContactForm),
        ),
    )


FORCES = service_journey(
    "forces",
    service.ForcesStatementForm,
    Step("service-details", service.ServiceDetailsForm),
    service.CorrespondenceForm,
)
