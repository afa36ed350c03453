"""The work queue: what an officer should look at first, and the search over it."""

from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Replace, Upper
from django.utils import timezone

from ier.elections.applications import nearest_deadline
from ier.geography.models import Authority
from ier.registration import references
from ier.registration.models import Application, Status


def with_priority(queryset: QuerySet) -> QuerySet:
    """Amber first, then red, then no NINO, then possible duplicates, then the rest."""
    return queryset.annotate(
        priority=Case(
            When(status=Status.PARTIAL, then=Value(0)),
            When(status=Status.NOT_VERIFIED, then=Value(1)),
            When(status=Status.NO_NINO, then=Value(2)),
            When(possible_duplicate=True, then=Value(3)),
            default=Value(4),
            output_field=IntegerField(),
        )
    )


def open_applications(authority: Authority) -> QuerySet:
    return with_priority(
        Application.objects.for_authority(authority).filter(status__in=Status.OPEN)
    )


def work_queue(authority: Authority) -> QuerySet:
    """Those in time for the nearest registration deadline first (the officer must
    decide them before the poll), then by priority and age."""
    return (
        open_applications(authority)
        .annotate(
            next_deadline=nearest_deadline(
                authority.office_council_ids, timezone.localdate()
            )
        )
        .order_by(
            F("next_deadline").asc(nulls_last=True), "priority", "submitted_at", "pk"
        )
    )


def search(authority: Authority, text: str, status: str) -> QuerySet:
    """By reference, name or postcode; with no text, the work queue (or every
    application in `status`)."""
    if status:
        queryset = with_priority(
            Application.objects.for_authority(authority).filter(status=status)
        )
    elif text:
        queryset = with_priority(Application.objects.for_authority(authority))
    else:
        return work_queue(authority)
    if text:
        queryset = annotate_postcode(queryset).filter(_matches(text))
    return queryset.order_by("priority", "submitted_at", "pk")


def _matches(text: str) -> Q:
    squashed = "".join(text.split()).upper()
    condition = Q(postcode_squashed=squashed) if squashed else Q()
    if references.is_valid_reference(text):
        condition |= Q(reference=references.normalise_reference(text))
    words = text.split()
    if words:
        name = Q()
        for word in words[:4]:
            name &= (
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(middle_names__icontains=word)
            )
        condition |= name
    return condition


def annotate_postcode(queryset: QuerySet) -> QuerySet:
    return queryset.annotate(
        postcode_squashed=Upper(Replace("address_postcode", Value(" "), Value("")))
    )
