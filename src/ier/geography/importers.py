"""Loaders for the councils' reference data. Re-running one updates rows in place."""

import csv
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.text import slugify

from ier.core.text import columns_with_nul
from ier.geography.models import Authority, RegistrationOffice
from ier.geography.postcodes import normalise_postcode

AUTHORITY_COLUMNS = {
    "gss_code",
    "name",
    "name_cy",
    "nation",
    "electoral_services_email",
    "electoral_services_phone",
    "website",
    "address",
    "postcode",
}
# `office_name` is optional: without it the name is taken from the address.
SCOTLAND_COLUMNS = {
    "gss_code",
    "council_name",
    "registration_email",
    "registration_phone",
    "website",
    "address",
    "postcode",
}


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    rejected: list[str] = field(default_factory=list)
    # Councils and offices whose contact details a manager set in the portal: kept,
    # or replaced from the file when asked to.
    kept_local_edits: list[str] = field(default_factory=list)
    replaced_local_edits: list[str] = field(default_factory=list)
    offices_seen: set[int] = field(default_factory=set)


def _contact_defaults(
    holder: Authority | RegistrationOffice | None,
    contact: dict[str, str],
    report: ImportReport,
    overwrite_local_edits: bool,
) -> dict[str, object]:
    """The contact fields to write from the file: none where a manager has set them
    in the portal, unless told to replace those (which clears the record of who set
    them)."""
    if holder is None or holder.contact_updated_at is None:
        return dict(contact)
    if not overwrite_local_edits:
        report.kept_local_edits.append(str(holder))
        return {}
    report.replaced_local_edits.append(str(holder))
    return {**contact, "contact_updated_at": None, "contact_updated_by": None}


def _rows(path: Path, required: set[str]) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = required - set(reader.fieldnames or [])
        if missing:
            raise ValueError(
                "%s lacks the columns: %s" % (path.name, ", ".join(sorted(missing)))
            )
        rows = []
        for line, row in enumerate(reader, start=2):
            with_nul = columns_with_nul(row)
            if with_nul:
                raise ValueError(
                    "%s line %d: %s holds a NUL character"
                    % (path.name, line, ", ".join(with_nul))
                )
            rows.append({k: (v or "").strip() for k, v in row.items()})
        return rows


def default_authorities_file() -> Path:
    return settings.REFERENCE_DATA_DIR / "local_authorities.csv"


def default_scotland_file() -> Path:
    return settings.REFERENCE_DATA_DIR / "scotland_registration_offices.csv"


@transaction.atomic
def import_authorities(
    authorities_file: Path,
    scotland_file: Path | None,
    overwrite_local_edits: bool = False,
) -> ImportReport:
    report = ImportReport()
    existing = {a.gss_code: a for a in Authority.objects.select_for_update()}
    for row in _rows(authorities_file, AUTHORITY_COLUMNS):
        if not row["gss_code"] or not row["name"]:
            report.rejected.append("row without a GSS code or name: %r" % row["name"])
            continue
        contact = {
            "email": row["electoral_services_email"],
            "phone": row["electoral_services_phone"],
            "website": row["website"],
            "address": row["address"],
            "postcode": normalise_postcode(row["postcode"]) or "",
        }
        _, created = Authority.objects.update_or_create(
            gss_code=row["gss_code"],
            defaults={
                "name": row["name"],
                "name_cy": row["name_cy"],
                "nation": row["nation"],
                **_contact_defaults(
                    existing.get(row["gss_code"]),
                    contact,
                    report,
                    overwrite_local_edits,
                ),
            },
        )
        report.created += created
        report.updated += not created
    if scotland_file:
        _import_scottish_offices(scotland_file, report, overwrite_local_edits)
    return report


def _import_scottish_offices(
    path: Path, report: ImportReport, overwrite_local_edits: bool
) -> None:
    """Point each Scottish council at the office of the officer who serves it; one
    office (a Valuation Joint Board's) usually serves several councils."""
    served: set[str] = set()
    for row in _rows(path, SCOTLAND_COLUMNS):
        office = _office_for(row, report, overwrite_local_edits)
        updated = Authority.objects.filter(gss_code=row["gss_code"]).update(
            registration_office=office
        )
        if updated:
            served.add(row["gss_code"])
        else:
            report.rejected.append(
                "no council %s for its registration office" % row["gss_code"]
            )
    # A council no longer listed runs its own registration again.
    Authority.objects.exclude(gss_code__in=served).exclude(
        registration_office=None
    ).update(registration_office=None)
    RegistrationOffice.objects.filter(councils=None).delete()


def _office_for(
    row: dict[str, str], report: ImportReport, overwrite_local_edits: bool
) -> RegistrationOffice:
    postcode = normalise_postcode(row["postcode"]) or ""
    name = row.get("office_name") or _office_name_from_address(row["address"])
    code = slugify("%s %s" % (name, postcode))[:80]
    contact = {
        "email": row["registration_email"],
        "phone": row["registration_phone"],
        "website": row["website"],
        "address": row["address"],
        "postcode": postcode,
    }
    existing = RegistrationOffice.objects.filter(code=code).first()
    if existing is not None and existing.pk in report.offices_seen:
        contact_fields: dict[str, object] = {}  # one office, several councils
    else:
        contact_fields = _contact_defaults(
            existing, contact, report, overwrite_local_edits
        )
    office, _ = RegistrationOffice.objects.update_or_create(
        code=code, defaults={"name": name, **contact_fields}
    )
    report.offices_seen.add(office.pk)
    return office


def _office_name_from_address(address: str) -> str:
    """The first part of the address that names the office, not the officer."""
    parts = [p.strip() for p in address.split(",") if p.strip()]
    named = [p for p in parts if not p.lower().startswith("electoral registration")]
    return (named or parts or ["Electoral Registration Officer"])[0]
