"""Crown servants and British Council employees posted abroad, and their partners:
the service journey (forces.py) with a job instead of service details, and no BFPO."""

from ier.registration.forces import service_journey
from ier.registration.forms import service
from ier.registration.journey import Step

CROWN = service_journey(
    "crown",
    service.CrownStatementForm,
    Step("job", service.JobForm),
    service.CrownCorrespondenceForm,
)
