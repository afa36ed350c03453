"""Elections for the demo: a ward by-election in one ward of a synthetic council and
a UK Parliament by-election in a synthetic constituency, loaded through the
council CSV importer (so recorded and undoable like any load), with polling days
far enough ahead to apply for."""

from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from ier.elections.importing import import_elections
from ier.elections.models import Election
from ier.geography.models import Address, PostcodeDivision

WARD_POLL_WEEKS = 6
CONSTITUENCY_POLL_WEEKS = 8


def _first_address(nation: str) -> Address | None:
    return (
        Address.objects.filter(synthetic=True, authority__nation=nation)
        .select_related("authority")
        .order_by("uprn")
        .first()
    )


def prepare(directory: Path) -> list[str]:
    """Load the demo's elections once (none are loaded when any election is);
    returns lines saying where to see them."""
    if Election.objects.exists():
        return []
    england, wales = _first_address("England"), _first_address("Wales")
    if england is None or wales is None:
        return []
    ward = PostcodeDivision.objects.filter(postcode=england.postcode).first()
    seat = PostcodeDivision.objects.filter(postcode=wales.postcode).first()
    if ward is None or seat is None:
        return []
    today = timezone.localdate()
    ward_poll = today + timedelta(weeks=WARD_POLL_WEEKS)
    seat_poll = today + timedelta(weeks=CONSTITUENCY_POLL_WEEKS)
    path = directory / "demo_elections.csv"
    path.write_text(
        "election_id,title,poll_date,election_type,councils,division,division_gss\n"
        "local.demo.north-ward.%s,%s by-election: North ward,%s,local,%s,"
        "North ward,%s\n"
        "parl.demo-constituency.%s,Demo constituency by-election,%s,parl,%s,"
        "Demo constituency,%s\n"
        % (
            ward_poll.isoformat(),
            england.authority.name,
            ward_poll.isoformat(),
            england.authority.gss_code,
            ward.ward_gss,
            seat_poll.isoformat(),
            seat_poll.isoformat(),
            wales.authority.gss_code,
            seat.constituency_gss,
        ),
        encoding="utf-8",
    )
    import_elections(path)
    other = (
        PostcodeDivision.objects.filter(
            postcode__in=Address.objects.filter(
                authority=england.authority, synthetic=True
            ).values("postcode")
        )
        .exclude(ward_gss=ward.ward_gss)
        .order_by("postcode")
        .first()
    )
    lines = [
        "Elections: a by-election in North ward of %s (postcode %s is in it%s), "
        "and a UK Parliament by-election at %s."
        % (
            england.authority.name,
            england.postcode,
            "; %s is not" % other.postcode if other else "",
            wales.postcode,
        )
    ]
    return lines
