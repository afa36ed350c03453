"""Every journey the service offers, by kind (kept in the answers cookie)."""

from ier.registration.crown import CROWN
from ier.registration.forces import FORCES
from ier.registration.journey import Journey
from ier.registration.ordinary import ORDINARY
from ier.registration.overseas import OVERSEAS

JOURNEYS: dict[str, Journey] = {
    journey.kind: journey for journey in (ORDINARY, OVERSEAS, FORCES, CROWN)
}
