"""Managers read their authority's audit log."""

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from ier.ero import audit
from ier.ero.access import OfficerRequest, manager_required
from ier.ero.models import AuditEntry


@manager_required
def audit_log(request: OfficerRequest) -> HttpResponse:
    audit.record_portal(request, "audit_view")
    entries = AuditEntry.objects.for_authority(request.officer.authority)
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    return render(request, "ero/audit.html", {"page": page})
