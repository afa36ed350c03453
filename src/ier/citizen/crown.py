"""Crown servants and British Council employees posted abroad, and their partners:
the service journey (forces.py) with a job instead of service details, and no BFPO."""

from ier.citizen.forces import service_journey
from ier.citizen.forms import service
from ier.citizen.journey import Step

CROWN = service_journey(
    "crown",
    service.CrownStatementForm,
    Step("job", service.JobForm),
    service.CrownCorrespondenceForm,
)
