"""Every journey the service offers, by kind (the kind is kept in the answers cookie)."""

from ier.registration.journey import Journey
from ier.registration.ordinary import ORDINARY

JOURNEYS: dict[str, Journey] = {journey.kind: journey for journey in (ORDINARY,)}
