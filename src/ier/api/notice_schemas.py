"""The shapes of moved-out notices in the EMS API (`endpoints/notices.py`)."""

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema

from ier.api.schemas import Text


class NoticeName(Schema):
    first_name: str = Field(description="First name as the applicant gave it")
    middle_names: str = Field(description="Middle names, empty if none given")
    last_name: str = Field(description="Last name, empty if none given")


class OldAddress(Schema):
    uprn: int | None = Field(
        description="UPRN of the previous address, when the applicant chose it "
        "from the address list; null when typed in or found on the register only"
    )
    line_1: str = Field(description="First line of the previous address as given")
    line_2: str = Field(description="Second line, empty if none")
    line_3: str = Field(description="Third line, empty if none")
    town: str = Field(description="Town of the previous address as given")
    postcode: str = Field(description="Postcode of the previous address as given")


class NewCouncil(Schema):
    gss_code: str = Field(description="GSS code of the council that registered them")
    name: str = Field(description="Name of the council that registered them")


class NoticeOut(Schema):
    reference: str = Field(
        description="The notice's own reference; acknowledge notices by it"
    )
    authority: str = Field(
        description="GSS code of the council told (the old council); for a "
        "registration office serving several councils, which register to look in"
    )
    found_by: Literal["previous_address", "register", "both"] = Field(
        description="`previous_address`: the applicant gave a previous address in "
        "this council; `register`: your uploaded register has an entry with the "
        "applicant's name, date of birth and postcode; `both`"
    )
    name: NoticeName = Field(description="The applicant's name today")
    previous_name: NoticeName | None = Field(
        description="A previous name the applicant gave (the entry may be under it)"
    )
    date_of_birth: date | None = Field(
        description="Date of birth, null if the applicant could not give it"
    )
    old_address: OldAddress = Field(
        description="The previous address as the applicant gave it; every line is "
        "empty when the notice comes from the register only"
    )
    elector_number: str | None = Field(
        description="The elector number of the matching entry in your uploaded "
        "register, when one was found"
    )
    new_council: NewCouncil = Field(description="The council that registered them")
    applied_on: date = Field(description="The day the application was made")
    registered_on: date = Field(
        description="The day the new council decided to register them"
    )
    created_at: datetime = Field(description="When the notice was made")
    acknowledged_at: datetime | None = Field(
        description="When your council acknowledged it; null while it is new"
    )


class NoticePage(Schema):
    items: list[NoticeOut] = Field(description="Notices, oldest first")
    next_cursor: str | None = Field(
        description="Pass as `cursor` to get the next page; null on the last page"
    )


class NoticeAcknowledgementIn(Schema):
    references: list[Text] = Field(
        min_length=1,
        max_length=1000,
        description="References of the notices your council has dealt with or saved",
    )


class NoticeAcknowledgementOut(Schema):
    acknowledged: list[str] = Field(description="Acknowledged by this request")
    already_acknowledged: list[str] = Field(
        description="Acknowledged by an earlier request (a retry is safe)"
    )
    not_acknowledged: list[str] = Field(
        description="No notice of your council has this reference"
    )
