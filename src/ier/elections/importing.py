"""Loading elections: recorded, re-runnable and reversible, like the address loads.

Each election is upserted by its election id and matched to the councils its GSS
codes name (or to every council of the nations it covers); each council gets the
registration deadline that applies there. A file loaded in full before is not
loaded again unless forced; undoing a run removes the elections it wrote last."""

import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from ier.elections import deadlines
from ier.elections.formats import ElectionRow, format_for
from ier.elections.models import Election, ElectionArea, ElectionImport
from ier.elections.upcoming import forget_lookups
from ier.geography.models import Authority, Nation, PostcodeDivision

TERRITORIES = {
    "ENG": Nation.ENGLAND,
    "SCT": Nation.SCOTLAND,
    "WLS": Nation.WALES,
    "NIR": Nation.NORTHERN_IRELAND,
}
EXAMPLES_KEPT = 5


@dataclass
class Outcome:
    run: ElectionImport
    loaded: bool


def fingerprint(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def import_elections(
    path: Path,
    format_name: str | None = None,
    force: bool = False,
    dry_run: bool = False,
) -> Outcome:
    adapter = format_for(path, format_name)
    digest = fingerprint(path)
    earlier = ElectionImport.objects.filter(
        fingerprint=digest, state=ElectionImport.State.COMPLETE
    ).first()
    if earlier and not force:
        return Outcome(earlier, loaded=False)
    run = ElectionImport(
        format=adapter.format,
        file_name=path.name,
        fingerprint=digest,
        state=ElectionImport.State.COMPLETE,
    )
    with transaction.atomic():
        run.save()
        for row in adapter.rows(path):
            run.rows_read += 1
            _load(run, row)
        run.finished_at = timezone.now()
        run.save()
        if dry_run:
            transaction.set_rollback(True)
    forget_lookups()
    return Outcome(run, loaded=True)


def _skip(run: ElectionImport, reason: str, election_id: str) -> None:
    entry = run.skipped.setdefault(reason, {"count": 0, "examples": []})
    entry["count"] += 1
    if len(entry["examples"]) < EXAMPLES_KEPT:
        entry["examples"].append(election_id)
    run.rows_skipped += 1


def _councils(row: ElectionRow) -> list[Authority]:
    if row.by_constituency:
        # The councils of the postcodes in the constituency (one constituency can
        # cross council boundaries, as Runcorn and Helsby does).
        postcodes = PostcodeDivision.objects.filter(
            constituency_gss=row.division_gss
        ).values("postcode")
        return list(
            Authority.objects.filter(postcode_areas__postcode__in=postcodes).distinct()
        )
    nations = [TERRITORIES[code] for code in row.whole_nations]
    found = Authority.objects.filter(gss_code__in=row.council_codes) | (
        Authority.objects.filter(nation__in=nations)
    )
    return list(found.distinct())


def _load(run: ElectionImport, row: ElectionRow) -> None:
    if row.skip:
        _skip(run, row.skip, row.election_id)
        return
    councils = _councils(row)
    if not councils:
        # A constituency no loaded postcode lies in: the postcode directory (with
        # its pcon column) has not been loaded, or the code is not in it.
        reason = "unknown_area" if row.by_constituency else "unknown_council"
        _skip(run, reason, row.election_id)
        return
    assert row.poll_date is not None  # rows without one are skipped
    nations = {council.nation for council in councils}
    election, created = Election.objects.update_or_create(
        election_id=row.election_id,
        defaults={
            "title": row.title[:300],
            "poll_date": row.poll_date,
            "election_type": row.election_type[:40],
            "organisation": row.organisation[:300],
            "organisation_gss": row.organisation_gss,
            "division": row.division[:300],
            "division_gss": row.division_gss,
            "nation": nations.pop() if len(nations) == 1 else "",
            "cancelled": row.cancelled,
            "import_run": run,
        },
    )
    run.created += created
    run.updated += not created
    set_areas(election, councils)


def set_areas(election: Election, councils: list[Authority]) -> None:
    """Point the election at exactly `councils`, each with its own deadline."""
    ElectionArea.objects.filter(election=election).exclude(
        authority__in=councils
    ).delete()
    existing = set(election.areas.values_list("authority_id", flat=True))
    ElectionArea.objects.bulk_create(
        [_area(election, council) for council in councils if council.pk not in existing]
    )
    for area in election.areas.select_related("authority"):
        fresh = _area(election, area.authority)
        if (area.deadline_day, area.deadline) != (fresh.deadline_day, fresh.deadline):
            area.deadline_day, area.deadline = fresh.deadline_day, fresh.deadline
            area.save(update_fields=["deadline_day", "deadline"])


def _area(election: Election, council: Authority) -> ElectionArea:
    day = deadlines.deadline_day(election.poll_date, council.nation)
    return ElectionArea(
        election=election,
        authority=council,
        deadline_day=day,
        deadline=deadlines.end_of_day(day),
    )


@transaction.atomic
def undo(run: ElectionImport) -> int:
    """Remove the elections `run` wrote last; returns how many."""
    written = Election.objects.filter(import_run=run)
    count = written.count()
    written.delete()
    run.state = ElectionImport.State.REVERSED
    run.save(update_fields=["state"])
    transaction.on_commit(forget_lookups)
    return count
