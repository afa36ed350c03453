"""What officers read: each recorded check as a sentence saying what it means and
what to do about it. Checks are stored as codes so the wording can change (and be
translated) without touching the records."""

from typing import Any

from django.utils.translation import gettext_lazy as _

REASONS = {
    ("nino", "found"): _("A record with this National Insurance number was found."),
    ("nino", "not_found"): _(
        "No record has this National Insurance number. Check the number with the "
        "applicant: a character may have been typed wrongly."
    ),
    ("date_of_birth", "match"): _("The date of birth matches the record."),
    ("date_of_birth", "mismatch"): _(
        "The date of birth does not match the record. Check it with the applicant and "
        "add a note of what they say, or ask for evidence of identity."
    ),
    ("date_of_birth", "day_month_swapped"): _(
        "The date of birth matches the record only with the day and month swapped. "
        "Check it with the applicant and add a note of the right date, or ask for "
        "evidence of identity."
    ),
    ("date_of_birth", "not_given"): _(
        "The applicant did not give a date of birth, so the record could not be "
        "checked. Use local data or ask for evidence."
    ),
    ("first_name", "exact"): _("The first name matches the record."),
    ("first_name", "variant"): _(
        "The first name is a recognised short form or other spelling of the name on "
        "the record."
    ),
    ("first_name", "initial"): _(
        "Only an initial was given for the first name. It agrees with the record: "
        "check the full name."
    ),
    ("first_name", "middle_name"): _(
        "The first name given is the first middle name on the record: the applicant "
        "may go by their middle name."
    ),
    ("first_name", "fuzzy"): _(
        "The first name is close to the record but not the same: possibly a typing "
        "mistake."
    ),
    ("first_name", "none"): _("The first name does not match the record."),
    ("last_name", "exact"): _("The last name matches the record."),
    ("last_name", "part"): _(
        "The last name is one part of a double-barrelled name on the record, or the "
        "other way round."
    ),
    ("last_name", "fuzzy"): _(
        "The last name is close to the record but not the same: possibly a typing "
        "mistake."
    ),
    ("last_name", "none"): _(
        "The last name does not match the record: check for a recent change of name, "
        "for example after a marriage."
    ),
    ("middle_names", "missing"): _(
        "Some middle names on the record were not given. This does not affect the "
        "result."
    ),
    ("middle_names", "extra"): _(
        "Middle names were given that the record does not hold. This does not affect "
        "the result."
    ),
    ("middle_names", "initials"): _(
        "Middle names were given as initials that agree with the record."
    ),
    ("middle_names", "differ"): _(
        "The middle names differ from the record. This does not affect the result."
    ),
    ("name_history", "applicant_previous_name"): _(
        "The name matched using the previous name the applicant gave."
    ),
    ("name_history", "record_previous_name"): _(
        "The name matched a previous name held on the record."
    ),
    ("application", "no_nino"): _(
        "The applicant gave a reason instead of a National Insurance number. Verify "
        "their identity from local data or ask for evidence."
    ),
    ("request", "invalid"): _(
        "The identity service could not read this application. Check the details with "
        "the applicant and add a note of what they say, or ask for evidence of "
        "identity."
    ),
    ("nino_reuse", "reused"): _(
        "This National Insurance number is on %(count)s applications made in the last "
        "%(days)s days. Check that each is genuine."
    ),
}


def reasons(checks: list[dict[str, Any]]) -> list[str]:
    """The sentences for a verification's checks, in the order they ran."""
    sentences = []
    for check in checks:
        message = REASONS.get((check["check"], check["outcome"]))
        if message is not None:
            sentences.append(
                str(message) % check if "%(" in str(message) else str(message)
            )
    return sentences
