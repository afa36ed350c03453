"""Moved-out notices: telling the council a person moved away from that they have
been registered elsewhere, so it can remove the old entry.

A notice is made when the new council **accepts** the application (adds the person
to its register), never earlier: an application that is refused, or never decided,
sends no notice, so a false application cannot make a council remove a real elector.
The life cycle calls `create_for_accepted` in the transaction that records the
acceptance, on the single path (`transition`) and the batch path
(`move_locked_from`) alike, whichever channel the application came by.

The old council is found two ways, and each gets one notice per application:

- the previous address the applicant gave: its UPRN's council, or the one council
  its postcode lies in (a postcode that crosses a boundary names no council by
  itself);
- the registers councils upload: an entry of another council with the applicant's
  match key (name, date of birth and the new or previous postcode, the current or
  previous name), the same key the duplicate check uses on the council's own
  register.

The old council reads and acknowledges its notices through
`ier.registration.notices`."""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.utils import timezone

from ier.geography.models import Address, Authority, PostcodeArea
from ier.registration import references
from ier.registration.models import Application, MovedOutNotice, RegisterEntry
from ier.registration.register import register_match_key

Source = MovedOutNotice.Source

#: What a notice copies from the application, and nothing more: who, ...
WHO = {
    "first_name": "first_name",
    "middle_names": "middle_names",
    "last_name": "last_name",
    "previous_first_name": "previous_first_name",
    "previous_middle_names": "previous_middle_names",
    "previous_last_name": "previous_last_name",
    "date_of_birth": "date_of_birth",
}
#: ... and, for the council the previous address is in, that address. A council
#: told because its register shows the person gets no address in another area.
OLD_ADDRESS = {
    "old_uprn": "previous_uprn",
    "old_line_1": "previous_line_1",
    "old_line_2": "previous_line_2",
    "old_line_3": "previous_line_3",
    "old_town": "previous_town",
    "old_postcode": "previous_postcode",
}


def _copied(application: Application, source: str) -> dict[str, Any]:
    fields = WHO if source == Source.REGISTER else {**WHO, **OLD_ADDRESS}
    return {field: getattr(application, name) for field, name in fields.items()}


class Lookups:
    """What a batch of accepted applications needs to know about councils, read in
    a few queries for the whole batch rather than several per application: the
    council of each previous address (by UPRN, or by postcode) and the register
    entries with any of their match keys."""

    def __init__(self, applications: list[Application], today: date) -> None:
        self.today = today
        uprns = {a.previous_uprn for a in applications if a.previous_uprn}
        self.by_uprn = dict(
            Address.objects.filter(uprn__in=sorted(uprns)).values_list(
                "uprn", "authority_id"
            )
        )
        postcodes = {a.previous_postcode for a in applications if a.previous_postcode}
        self.by_postcode: dict[str, set[int]] = defaultdict(set)
        areas = PostcodeArea.objects.filter(postcode__in=sorted(postcodes))
        for postcode, authority_id in areas.values_list("postcode", "authority_id"):
            self.by_postcode[postcode].add(authority_id)
        self.keys = {a.pk: _match_keys(a) for a in applications}
        wanted = set().union(*self.keys.values()) if self.keys else set()
        self.entries: dict[str, list[tuple[int, str]]] = defaultdict(list)
        # The domain's own lookup across councils: the notice is for another one.
        rows = (
            RegisterEntry.objects.filter(match_key__in=sorted(wanted))
            .order_by("authority_id", "elector_number")
            .values_list("match_key", "authority_id", "elector_number")
        )
        for key, authority_id, elector_number in rows:
            self.entries[key].append((authority_id, elector_number))
        self._successors: dict[int, int] = {}

    def successor(self, authority_id: int) -> int:
        """The council that keeps the register there today, after any merger."""
        if authority_id not in self._successors:
            self._successors[authority_id] = Authority.successor_on(
                authority_id, self.today
            )
        return self._successors[authority_id]

    def council_of_previous_address(self, application: Application) -> int | None:
        """The council of the previous address, or None when it names none for
        sure (a postcode across a boundary, or none given)."""
        if application.previous_uprn in self.by_uprn:
            return self.successor(self.by_uprn[application.previous_uprn])
        councils = {
            self.successor(pk)
            for pk in self.by_postcode.get(application.previous_postcode, ())
        }
        return councils.pop() if len(councils) == 1 else None

    def on_other_registers(self, application: Application) -> dict[int, str]:
        """Other councils whose uploaded register shows the applicant: council id
        -> elector number."""
        found: dict[int, str] = {}
        for key in sorted(self.keys.get(application.pk, ())):
            for authority_id, elector_number in self.entries.get(key, ()):
                if authority_id != application.authority_id:
                    found.setdefault(authority_id, elector_number)
        return found


def _match_keys(application: Application) -> set[str]:
    if application.date_of_birth is None:
        return set()
    names = {(application.first_name, application.last_name)}
    if application.previous_first_name or application.previous_last_name:
        names.add(
            (
                application.previous_first_name or application.first_name,
                application.previous_last_name or application.last_name,
            )
        )
    postcodes = {
        p for p in (application.address_postcode, application.previous_postcode) if p
    }
    return {
        register_match_key(first, last, application.date_of_birth, postcode)
        for first, last in names
        for postcode in postcodes
    }


def old_councils(
    application: Application, lookups: Lookups
) -> dict[int, tuple[str, str]]:
    """Each other council to tell: council id -> (source, elector number)."""
    by_address = lookups.council_of_previous_address(application)
    on_register = lookups.on_other_registers(application)
    councils: dict[int, tuple[str, str]] = {}
    if by_address is not None and by_address != application.authority_id:
        source = Source.BOTH if by_address in on_register else Source.PREVIOUS_ADDRESS
        councils[by_address] = (source, on_register.get(by_address, ""))
    for authority_id, elector_number in on_register.items():
        councils.setdefault(authority_id, (Source.REGISTER, elector_number))
    return councils


def create_for_accepted(
    application_ids: Iterable[int], at: datetime.datetime
) -> list[tuple[int, str, str]]:
    """Make the notices for applications just accepted, once per (application,
    old council); returns (application id, notice reference, old council's GSS
    code) for each notice made. Called by the life cycle only."""
    ids = list(application_ids)
    if not ids:
        return []
    applications = list(Application.objects.filter(pk__in=ids).order_by("pk"))
    lookups = Lookups(applications, timezone.localdate(at))
    existing = set(
        MovedOutNotice.objects.filter(application_id__in=ids).values_list(
            "application_id", "authority_id"
        )
    )
    notices = []
    for application in applications:
        registered = application.determined_at or at
        told = old_councils(application, lookups)
        for authority_id, (source, elector) in told.items():
            if (application.pk, authority_id) in existing:
                continue
            notices.append(
                MovedOutNotice(
                    reference=references.new_reference(),
                    authority_id=authority_id,
                    application_id=application.pk,
                    new_authority_id=application.authority_id,
                    source=source,
                    elector_number=elector,
                    applied_on=timezone.localdate(application.submitted_at),
                    registered_on=timezone.localdate(registered),
                    created_at=at,
                    **_copied(application, source),
                )
            )
    MovedOutNotice.objects.bulk_create(notices)
    gss = dict(
        Authority.objects.filter(pk__in={n.authority_id for n in notices}).values_list(
            "pk", "gss_code"
        )
    )
    return [(n.application_id, n.reference, gss[n.authority_id]) for n in notices]
