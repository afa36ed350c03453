"""Turning a completed journey into one application, exactly once."""

import logging
from typing import Any

from django.db import IntegrityError
from django.utils import translation

from ier.citizen.journey import Context, Journey
from ier.geography.models import Authority
from ier.registration import lifecycle, references
from ier.registration.models import Application, Status
from ier.verification import intake

logger = logging.getLogger(__name__)


class IncompleteApplication(Exception):
    pass


def application_values(journey: Journey, ctx: Context) -> dict[str, Any]:
    values: dict[str, Any] = {"details": {}}
    for step in journey.answered_steps(ctx):
        # Every answer is validated afresh here, never taken from `VALIDITY`.
        if step.complete is not None:
            if not step.complete(ctx):
                raise IncompleteApplication(step.slug)
            form = ctx.form(step)
            if form is None:
                continue  # answered on another page (a typed-in address)
        else:
            form = ctx.form(step)
            if form is None or form.errors:
                raise IncompleteApplication(step.slug)
        values.update(form.application_fields())
        values["details"].update(form.details())
    address = ctx.address
    if not address or not address.get("authority_id"):
        raise IncompleteApplication("address")
    # Looked-up addresses are reused for a few minutes; a council replaced by a
    # merger in that time still hands its applications to its successor.
    values["authority_id"] = Authority.successor_on(address["authority_id"], ctx.today)
    return values


def submit(journey: Journey, ctx: Context, key: str) -> Application:
    """Save the application (or return the one already saved under `key`)."""
    values = application_values(journey, ctx)
    nino = values.pop("nino", "")
    for _attempt in range(5):
        application = Application(
            reference=references.new_reference(),
            idempotency_key=key,
            journey=journey.kind,
            language=translation.get_language() or "en",
            status=Status.SUBMITTED,
            **values,
        )
        application.nino = nino
        try:
            lifecycle.submit(application, intake.before_insert, intake.after_insert)
        except IntegrityError:
            # The key is looked up after a failed save, not before every save: a
            # second send of the same answers is rare, a round trip each time is not.
            existing = Application.objects.filter(idempotency_key=key).first()
            if existing:
                return existing  # a double click won the race: same application
            continue  # reference collision: draw another
        logger.info(
            "application submitted",
            extra={
                "reference": application.reference,
                "authority": application.authority_id,
            },
        )
        return application
    raise RuntimeError("could not allocate a unique reference")
