from django.urls import path

from ldn.web.clinic import views_clinician, views_patient, views_report, views_security

app_name = "clinic"
urlpatterns = [
    path("", views_clinician.home, name="home"),
    # patients
    path("sharing/", views_patient.sharing_page, name="sharing"),
    path(
        "sharing/invitations/<int:pk>/cancel/",
        views_patient.invitation_cancel,
        name="invitation_cancel",
    ),
    path("sharing/shares/<int:pk>/revoke/", views_patient.share_revoke, name="share_revoke"),
    path("access-log/", views_patient.access_log, name="access_log"),
    path("notes/", views_patient.shared_notes, name="shared_notes"),
    path("questions/", views_patient.questions, name="questions"),
    path("questions/<int:pk>/delete/", views_patient.question_delete, name="question_delete"),
    path("report/", views_report.my_report, name="my_report"),
    # clinicians
    path("accept/", views_clinician.accept, name="accept"),
    path("join/<str:code>/", views_clinician.accept, name="join"),
    path("patients/", views_clinician.patient_list, name="patients"),
    path("patients/<int:patient_id>/", views_clinician.patient_view, name="patient"),
    path("patients/<int:patient_id>/plan/", views_clinician.adjust_plan, name="adjust_plan"),
    path(
        "patients/<int:patient_id>/follow-ups/",
        views_clinician.follow_up_create,
        name="follow_up_create",
    ),
    path("follow-ups/<int:pk>/held/", views_clinician.follow_up_held, name="follow_up_held"),
    path("patients/<int:patient_id>/notes/", views_clinician.note_create, name="note_create"),
    # both
    path("patients/<int:patient_id>/report/", views_report.report_page, name="report"),
    path("patients/<int:patient_id>/report.pdf", views_report.report_pdf, name="report_pdf"),
    path("patients/<int:patient_id>/fhir.json", views_report.fhir_download, name="fhir"),
    path("2fa/", views_security.two_factor, name="two_factor"),
    path("2fa/off/", views_security.two_factor_disable, name="two_factor_disable"),
]
