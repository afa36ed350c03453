"""Every journey the service offers, by kind (kept in the answers cookie)."""

from ier.citizen.crown import CROWN
from ier.citizen.forces import FORCES
from ier.citizen.journey import Journey
from ier.citizen.ordinary import ORDINARY
from ier.citizen.overseas import OVERSEAS

JOURNEYS: dict[str, Journey] = {
    journey.kind: journey for journey in (ORDINARY, OVERSEAS, FORCES, CROWN)
}
