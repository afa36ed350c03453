"""The shapes the EMS API sends and accepts (published in the OpenAPI document)."""

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import AfterValidator

from ier.core.text import NUL
from ier.registration.models import JourneyKind, Status

if TYPE_CHECKING:
    # Built from the model's choices below, which a type checker cannot evaluate.
    StatusName = str
    JourneyName = str
else:
    StatusName = Literal[tuple(Status.values)]
    JourneyName = Literal[tuple(JourneyKind.values)]
Outcome = Literal["accepted", "rejected", "evidence_requested"]


def _without_nul(value: str) -> str:
    if NUL in value:
        raise ValueError("must not contain a NUL character (U+0000)")
    return value


#: Any text a client sends: no database can be trusted to store a NUL (PostgreSQL
#: refuses one), so none is accepted, and the OpenAPI document says so.
Text = Annotated[
    str,
    AfterValidator(_without_nul),
    Field(json_schema_extra={"pattern": "^[^\\x00]*$"}),
]


class Name(Schema):
    first_name: str
    middle_names: str
    last_name: str


class AddressOut(Schema):
    uprn: int | None
    line_1: str
    line_2: str
    line_3: str
    town: str
    postcode: str
    typed_by_applicant: bool


class Check(Schema):
    name: str = Field(description="e.g. nino, date_of_birth, first_name")
    outcome: str = Field(description="e.g. found, match, variant, none")


class VerificationOut(Schema):
    result: Literal["green", "amber", "red", "dark_red", "white", "no_nino"]
    checked_at: datetime | None
    reasons: list[str]
    checks: list[Check]


class Flags(Schema):
    possible_duplicate: bool
    nino_reused: bool
    corrected: bool = Field(
        False, description="Details were corrected after it was first sent"
    )


class ElectionInTime(Schema):
    election_id: str = Field(description="EveryElection's id of the election")
    poll_date: date
    deadline: datetime = Field(
        description="Midnight at the end of the registration deadline day"
    )


class ApplicationOut(Schema):
    reference: str
    status: StatusName
    journey: JourneyName
    language: str
    authority: str = Field(description="GSS code of the authority")
    submitted_at: datetime
    downloaded_at: datetime | None
    determined_at: datetime | None
    name: Name
    previous_name: Name | None
    date_of_birth: date | None
    no_date_of_birth_reason: str
    age_range: str
    nino: str = Field(description="National Insurance number, empty if none given")
    no_nino_reason: str
    nationalities: list[str]
    nationality_reason: str
    address: AddressOut
    moved: str
    previous_address: AddressOut | None
    other_address: str
    open_register: bool | None
    postal_vote: str
    email: str
    phone: str
    details: dict[str, Any]
    flags: Flags
    verification: VerificationOut
    elections: list[ElectionInTime] = Field(
        default_factory=list,
        description="Coming elections the application was sent in time for, "
        "nearest deadline first",
    )
    channel: Literal["online", "paper", "phone", "in_person"] = Field(
        description="How the council received it: `online` through this service, "
        "or sent by the council's EMS"
    )
    council_reference: str = Field(
        description="The council's own reference, for applications its EMS sent; "
        "empty for online ones"
    )
    corrected_at: datetime | None = Field(
        None, description="When details were last corrected (then verified again)"
    )


class ApplicationPage(Schema):
    items: list[ApplicationOut]
    next_cursor: str | None = Field(
        description="Pass as `cursor` to get the next page; null on the last page"
    )


class AcknowledgementIn(Schema):
    references: list[Text] = Field(min_length=1, max_length=1000)


class AcknowledgementOut(Schema):
    acknowledged: list[str] = Field(description="Handed over by this request")
    already_acknowledged: list[str] = Field(
        description="Handed over by an earlier request (a retry is safe)"
    )
    not_acknowledged: list[str] = Field(
        description="Unknown to this authority, or not ready to hand over yet"
    )


class DeterminationIn(Schema):
    outcome: Outcome
    date: date
    reason: Text = Field("", max_length=500)


class DeterminationOut(Schema):
    reference: str
    status: StatusName
    determined_at: datetime | None


class RegisterLoadOut(Schema):
    entries: int
    replaced: int


class CountsOut(Schema):
    by_status: dict[str, int]
    new: int = Field(description="Ready to download and not yet acknowledged")
    register_entries: int
