from django.urls import path

from ier.ero.views import (
    actions,
    applications,
    audit_log,
    contact_details,
    corrections,
    dashboard,
    invitation,
    notices,
    signin,
    team,
    tokens,
)

app_name = "ero"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("sign-in/", signin.sign_in, name="sign-in"),
    path("sign-in/code/", signin.sign_in_code, name="sign-in-code"),
    path("sign-out/", signin.sign_out, name="sign-out"),
    path("invitation/<str:token>/", invitation.accept, name="invitation"),
    path("applications/", applications.application_list, name="applications"),
    path("applications/export.csv", applications.export_csv, name="export"),
    path(
        "applications/<str:reference>/",
        applications.application_detail,
        name="application",
    ),
    path("applications/<str:reference>/notes/", actions.add_note, name="add-note"),
    path(
        "applications/<str:reference>/determination/",
        actions.record_determination,
        name="determine",
    ),
    path(
        "applications/<str:reference>/evidence-request/",
        actions.request_evidence,
        name="request-evidence",
    ),
    path(
        "applications/<str:reference>/evidence/<int:file_id>/",
        actions.evidence_file,
        name="evidence-file",
    ),
    path("applications/<str:reference>/correct/", corrections.correct, name="correct"),
    path(
        "applications/<str:reference>/correction-request/",
        corrections.ask_applicant,
        name="request-correction",
    ),
    path("team/", team.team, name="team"),
    path("team/<int:officer_id>/remove/", team.remove_officer, name="remove-officer"),
    path("tokens/", tokens.token_list, name="tokens"),
    path("tokens/<int:token_id>/revoke/", tokens.revoke_token, name="revoke-token"),
    path("audit/", audit_log.audit_log, name="audit"),
    path("contact-details/", contact_details.contact_details, name="contact-details"),
    # Moved-out notices (issue 20).
    path("notices/", notices.notice_list, name="notices"),
    path("notices/<str:reference>/", notices.notice_detail, name="notice"),
    path(
        "notices/<str:reference>/dealt-with/",
        notices.mark_dealt_with,
        name="notice-dealt-with",
    ),
]
