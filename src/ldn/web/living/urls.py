from django.urls import path

from ldn.web.living import views

app_name = "living"
urlpatterns = [
    path("", views.index, name="index"),
    path("day/<isodate:day>/", views.day_save, name="day_save"),
    path("timing/", views.timing_page, name="timing"),
    path("timing/stop/", views.timing_stop, name="timing_stop"),
    path("thyroid/", views.thyroid_page, name="thyroid"),
    path("thyroid/note/", views.thyroid_note, name="thyroid_note"),
    path("surgery/", views.surgery_page, name="surgery"),
    path("liquid/", views.liquid_page, name="liquid"),
    path("patients/<int:patient_id>/step/", views.clinic_step, name="clinic_step"),
    path(
        "patients/<int:patient_id>/procedures/new/",
        views.clinic_procedure_new,
        name="clinic_procedure_new",
    ),
    path(
        "patients/<int:patient_id>/procedures/<int:pk>/confirm/",
        views.procedure_confirm,
        name="procedure_confirm",
    ),
]
