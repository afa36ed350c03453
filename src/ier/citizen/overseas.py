"""The overseas journey: a British citizen living abroad registers at the UK address
where they were last registered, or where they last lived (docs/rules.md)."""

from ier.citizen import eligibility
from ier.citizen.forms import about_you
from ier.citizen.forms import overseas as forms
from ier.citizen.journey import Journey, Step
from ier.citizen.ordinary import from_ordinary, postcode_exit

FRANCHISE = "Overseas"


def too_young_exit(ctx) -> str | None:
    dob = ctx.date_of_birth
    if dob and not eligibility.may_register_by_age(dob, FRANCHISE, ctx.today):
        return "too-young"
    return None


def northern_ireland_exit(ctx) -> str | None:
    """Overseas electors whose UK address is in Northern Ireland apply to EONI."""
    found = ctx.address
    if found and found["nation"] == "Northern Ireland":
        return "northern-ireland"
    return None


OVERSEAS = Journey(
    kind="overseas",
    url_prefix="register",
    start="registration:start_overseas",
    age_rules=FRANCHISE,
    steps=(
        Step("british-citizen", forms.BritishCitizenForm, exit=forms.not_british_exit),
        Step("date-of-birth", forms.OverseasDateOfBirthForm, exit=too_young_exit),
        Step("last-registered", forms.LastRegisteredForm),
        Step("date-left", forms.DateLeftForm),
        Step(
            "address",
            forms.LastAddressPostcodeForm,
            "registration/steps/postcode.html",
            exit=postcode_exit,
            clears=("address-select", "address-manual"),
        ),
        Step(
            "address-select",
            from_ordinary("address-select").form_class,
            "registration/steps/address_select.html",
            complete=from_ordinary("address-select").complete,
            exit=northern_ireland_exit,
            clears=("address-manual",),
            summary=False,
        ),
        from_ordinary("address-manual"),
        Step(
            "parent-or-guardian",
            forms.ParentGuardianForm,
            "registration/steps/parent_guardian.html",
            applies=forms.parent_applies,
        ),
        Step("passport", forms.PassportForm),
        Step("passport-details", forms.PassportDetailsForm, applies=forms.has_passport),
        Step("citizenship", forms.CitizenshipForm, applies=forms.no_passport),
        Step("name", about_you.NameForm, "registration/steps/name.html"),
        Step("previous-name", forms.OverseasPreviousNameForm),
        from_ordinary("previous-name-details"),
        Step("national-insurance-number", about_you.NinoForm),
        Step(
            "address-abroad",
            forms.OverseasAddressForm,
            "registration/steps/address_abroad.html",
        ),
        Step(
            "attestation",
            forms.AttestationForm,
            "registration/steps/attestation.html",
        ),
        Step("attestor", forms.AttestorForm, applies=forms.attests),
        Step(
            "ways-to-vote", forms.WaysToVoteForm, "registration/steps/ways_to_vote.html"
        ),
        from_ordinary("open-register"),
        Step("contact", forms.EmailContactForm),
    ),
)
