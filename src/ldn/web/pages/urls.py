from django.urls import path

from ldn.web.pages import views

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("patients/<int:patient_id>/", views.patient_overview, name="patient_overview"),
    path("csp-report/", views.csp_report, name="csp_report"),
]
