"""The shapes of `POST /api/v1/applications`: a council's applications from other
channels (paper, phone, in person), and the answer line by line.

The schema fixes only the shape (types, the channel, lengths of references); the
rules on what people write (names, dates, NINOs, postcodes, addresses) are the online
journey's, checked line by line, so a keying slip refuses its own line alone."""

from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import BeforeValidator, StrictBool, WithJsonSchema

from ier.api.schemas import Text

KeyedChannel = Literal["paper", "phone", "in_person"]


def _whole_number(value: object) -> object:
    # JSON Schema counts 12.0 an integer, but not true or "12".
    if isinstance(value, bool | str):
        raise ValueError("must be an integer")
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


#: Unique Property Reference Number: up to 12 digits.
Uprn = Annotated[
    int,
    BeforeValidator(_whole_number),
    Field(ge=0, le=999_999_999_999),
    WithJsonSchema({"type": "integer", "minimum": 0, "maximum": 999_999_999_999}),
]
MAX_BATCH = 500


class ApplicationIn(Schema):
    channel: KeyedChannel = Field(description="How the council received it")
    council_reference: Text = Field(
        "",
        max_length=40,
        description="The EMS's own reference; one application per reference and "
        "council: sending it again returns the first one",
    )
    language: Literal["en", "cy"] = Field(
        "en", description="Language for emails to the applicant"
    )
    first_name: Text = Field(description="Required")
    middle_names: Text = ""
    last_name: Text = Field("", description="Required unless `only_one_name`")
    only_one_name: StrictBool = Field(
        False, description="The applicant has one name only"
    )
    previous_first_name: Text = Field("", description="Name changed in 12 months")
    previous_middle_names: Text = ""
    previous_last_name: Text = ""
    date_of_birth: Text | None = Field(
        None,
        description="ISO 8601 date (YYYY-MM-DD); or null with "
        "`no_date_of_birth_reason` and `age_range`",
    )
    no_date_of_birth_reason: Text = ""
    age_range: Text = Field(
        "",
        description="Without a date of birth: `18-to-75` or `76-or-over` (and in "
        "Scotland and Wales `16-to-17`)",
    )
    nationalities: list[Text] = Field(
        default_factory=list,
        max_length=5,
        description="ISO 3166 codes (`GB` British, `IE` Irish, up to 3 others); "
        "or empty with `nationality_reason`",
    )
    nationality_reason: Text = ""
    nino: Text = Field(
        "", description="National Insurance number; or empty with `no_nino_reason`"
    )
    no_nino_reason: Text = ""
    address_uprn: Uprn | None = Field(
        None,
        description="The address by UPRN; or null and the lines and postcode",
    )
    address_line_1: Text = ""
    address_line_2: Text = ""
    address_town: Text = ""
    address_postcode: Text = Field(
        "", description="Required with lines; checked against the UPRN if both"
    )
    moved: Text = Field(
        "", description="Moved in the last 12 months: `no`, `from-uk`, `from-abroad`"
    )
    previous_address_uprn: Uprn | None = None
    previous_address_line_1: Text = ""
    previous_address_line_2: Text = ""
    previous_address_town: Text = ""
    previous_address_postcode: Text = ""
    open_register: StrictBool | None = Field(description="On the open register")
    postal_vote: Text = Field(description="`yes`, `no-in-person` or `no-already-have`")
    email: Text = ""
    phone: Text = ""


class ApplicationsIn(Schema):
    applications: list[ApplicationIn] = Field(min_length=1, max_length=MAX_BATCH)


class FieldError(Schema):
    field: str = Field(description="The field of the line, e.g. `nino`")
    message: str
    code: str = Field(description="e.g. `required`, `invalid_nino`, `outside_area`")


class LineResult(Schema):
    line: int = Field(description="Position in `applications`, from 1")
    outcome: Literal["accepted", "already_received", "refused"] = Field(
        description="`already_received`: sent before (same council reference or "
        "Idempotency-Key); `reference` is the first one's"
    )
    council_reference: str
    reference: str | None = Field(description="The service's reference")
    channel: str
    errors: list[FieldError] = Field(description="Why a refused line was refused")


class SubmissionOut(Schema):
    accepted: int
    already_received: int
    refused: int
    results: list[LineResult]
