"""The ordinary journey: someone living in England, Scotland or Wales."""

from ier.citizen import eligibility
from ier.citizen.forms import about_you, address, choices
from ier.citizen.journey import Journey, Step


def where_you_live_exit(ctx):
    country = ctx.value("where-you-live", "country")
    return {"northern-ireland": "northern-ireland", "abroad": "overseas"}.get(country)


FOLLOW_UPS = (("leave", "immigration-status"), ("retained_rights", "eu-rights"))


def not_eligible_exit(ctx):
    """Exit once no register is open to this person and no question could open one."""
    classes = about_you.nationality_classes(ctx)
    if classes is None or not ctx.nation or ctx.nation == "Northern Ireland":
        return None  # no nationality given: the council decides
    for index, (condition, slug) in enumerate(FOLLOW_UPS):
        before = tuple(c for c, _ in FOLLOW_UPS[:index])
        if condition in about_you.conditions_to_ask(ctx, before) and not ctx.raw(slug):
            return None  # still to be asked
    met = about_you.conditions_met(ctx)
    if not eligibility.registers_open(ctx.nation, classes, met, ctx.today):
        return "not-eligible"
    return None


def asks(condition):
    """The follow-up question applies while it could still change the outcome."""
    index = [c for c, _ in FOLLOW_UPS].index(condition)
    before = tuple(c for c, _ in FOLLOW_UPS[:index])

    def applies(ctx):
        return condition in about_you.conditions_to_ask(ctx, before)

    return applies


def address_exit(ctx):
    found = ctx.address
    if found and found["nation"] == "Northern Ireland":
        return "northern-ireland"
    return about_you.too_young_exit(ctx) or not_eligible_exit(ctx)


def postcode_exit(ctx) -> str | None:
    postcode = ctx.value("address", "postcode") or ""
    return "northern-ireland" if postcode.upper().startswith("BT") else None


def asked_unless_young(step_slug):
    def applies(ctx):
        return step_slug not in ctx.skipped_for_age

    return applies


ORDINARY = Journey(
    kind="ordinary",
    url_prefix="register",
    steps=(
        Step("where-you-live", about_you.WhereYouLiveForm, exit=where_you_live_exit),
        Step(
            "nationality",
            about_you.NationalityForm,
            "registration/steps/nationality.html",
            exit=not_eligible_exit,
        ),
        Step(
            "immigration-status",
            about_you.ImmigrationStatusForm,
            applies=asks("leave"),
            exit=not_eligible_exit,
        ),
        Step(
            "eu-rights",
            about_you.RetainedRightsForm,
            applies=asks("retained_rights"),
            exit=not_eligible_exit,
        ),
        Step(
            "date-of-birth",
            about_you.DateOfBirthForm,
            "registration/steps/date_of_birth.html",
            exit=about_you.too_young_exit,
        ),
        Step("name", about_you.NameForm, "registration/steps/name.html"),
        Step("previous-name", about_you.PreviousNameForm),
        Step(
            "previous-name-details",
            about_you.PreviousNameDetailsForm,
            "registration/steps/previous_name.html",
            applies=about_you.changed_name,
        ),
        Step(
            "national-insurance-number",
            about_you.NinoForm,
            applies=asked_unless_young("nino"),
        ),
        Step(
            "address",
            address.PostcodeForm,
            "registration/steps/postcode.html",
            exit=postcode_exit,
            clears=("address-select", "address-manual"),
        ),
        Step(
            "address-select",
            address.AddressSelectForm,
            "registration/steps/address_select.html",
            complete=address.address_complete("address"),
            exit=address_exit,
            clears=("address-manual",),
            summary=False,
        ),
        Step(
            "address-manual",
            address.AddressManualForm,
            "registration/steps/address_manual.html",
            in_walk=False,
            instead_of="address-select",
            clears=("address-select",),
            summary=False,
        ),
        Step("moved", address.MovedForm),
        Step(
            "overseas-voter",
            address.OverseasVoterForm,
            applies=address.moved_from_abroad,
        ),
        Step(
            "previous-address",
            address.PreviousPostcodeForm,
            "registration/steps/postcode.html",
            applies=address.previous_address_applies,
            clears=("previous-address-select", "previous-address-manual"),
        ),
        Step(
            "previous-address-select",
            address.PreviousAddressSelectForm,
            "registration/steps/address_select.html",
            applies=address.previous_select_applies,
            complete=address.address_complete("previous-address"),
            clears=("previous-address-manual",),
            summary=False,
        ),
        Step(
            "previous-address-manual",
            address.PreviousAddressManualForm,
            "registration/steps/address_manual.html",
            in_walk=False,
            instead_of="previous-address-select",
            clears=("previous-address-select",),
            summary=False,
        ),
        Step("other-address", address.OtherAddressForm),
        Step(
            "open-register",
            choices.OpenRegisterForm,
            "registration/steps/open_register.html",
            applies=asked_unless_young("open-register"),
        ),
        Step("postal-vote", choices.PostalVoteForm),
        Step("contact", choices.ContactForm),
    ),
)


def from_ordinary(slug: str) -> Step:
    """A step the ordinary journey defines, for another journey to reuse as it is."""
    step = ORDINARY.step(slug)
    if step is None:
        raise LookupError(slug)
    return step
