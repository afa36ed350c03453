"""Is this person already registered, or already applying? Checked when the
application arrives, in the transaction that saves it, with one indexed lookup each.

Both sides are reduced to the project's one match key
(`ier.registration.register.register_match_key`: a keyed hash of the folded first and
last names, the date of birth and the postcode), so an entry loaded by
`ier import-register` or by the EMS API is found the same way. Middle names are left
out on purpose: adding or dropping one is the commonest reason the same person looks
like two. Without a date of birth no match is attempted."""

from ier.registration.models import (
    Application,
    ApplicationEvent,
    RegisterEntry,
    Status,
)
from ier.registration.register import register_match_key
from ier.verification.models import DuplicateCheck

#: Applications the council has not determined yet.
PENDING = [
    Status.SUBMITTED,
    Status.VERIFYING,
    Status.VERIFIED,
    Status.PARTIAL,
    Status.NOT_VERIFIED,
    Status.NO_NINO,
    Status.DOWNLOADED,
    Status.EVIDENCE_REQUESTED,
]
MAX_PENDING_MATCHES = 5


def application_key(application: Application) -> str:
    if application.date_of_birth is None:
        return ""
    return register_match_key(
        application.first_name,
        application.last_name,
        application.date_of_birth,
        application.address_postcode,
    )


def register_entry_key(entry: RegisterEntry) -> str:
    return register_match_key(
        entry.first_name, entry.last_name, entry.date_of_birth, entry.postcode
    )


def check_at_submission(application: Application) -> DuplicateCheck:
    key = application_key(application)
    entry = None
    pending: list[str] = []
    if key:
        entry = (
            RegisterEntry.objects.filter(
                authority_id=application.authority_id, match_key=key
            )
            .only("pk")
            .first()
        )
        pending = list(
            DuplicateCheck.objects.filter(
                authority_id=application.authority_id,
                match_key=key,
                application__status__in=PENDING,
            )
            .exclude(application_id=application.pk)
            .values_list("application__reference", flat=True)[:MAX_PENDING_MATCHES]
        )
    found = DuplicateCheck.objects.create(
        application=application,
        authority_id=application.authority_id,
        match_key=key,
        on_register=entry is not None,
        register_entry=entry,
        pending_matches=pending,
    )
    if entry is not None or pending:
        # Flagged in place, status unchanged, without the savepoint `transition`
        # takes: this runs inside the submission's own transaction.
        application.possible_duplicate = True
        application.save(update_fields=["possible_duplicate", "updated_at"])
        ApplicationEvent.objects.create(
            application=application,
            actor="duplicate check",
            event="possible_duplicate",
            from_status=application.status,
            to_status=application.status,
            detail={"on_register": entry is not None, "pending_applications": pending},
        )
    return found
