"""Who a citizen should contact about registration at a postcode."""

from dataclasses import dataclass

from ier.geography.models import Authority, Nation


@dataclass(frozen=True)
class CouncilContact:
    council: str
    contact: dict[str, str]
    # Set where another office (a Scottish Valuation Joint Board) runs registration.
    office: str
    northern_ireland: bool


def councils_at(postcode: str) -> list[Authority]:
    """Every council the postcode lies in, as it is today (after any merger)."""
    return list(
        Authority.objects.filter(postcode_areas__postcode=postcode)
        .select_related("registration_office")
        .distinct()
        .order_by("name")
    )


def offices_for_postcode(postcode: str) -> list[CouncilContact]:
    return [
        CouncilContact(
            council=authority.display_name,
            contact=authority.contact,
            office=authority.registration_office.name
            if authority.registration_office
            else "",
            northern_ireland=authority.nation == Nation.NORTHERN_IRELAND,
        )
        for authority in councils_at(postcode)
    ]
