from django.urls import path

from ldn.web.therapy import medication_views, plan_views, reminder_views, views

app_name = "therapy"
urlpatterns = [
    path("", views.index, name="index"),
    path("plan/", plan_views.plan_page, name="plan"),
    path("plan/change/", plan_views.plan_edit, name="plan_edit"),
    path("plan/pause/", plan_views.plan_pause, name="plan_pause"),
    path("plan/resume/", plan_views.plan_resume, name="plan_resume"),
    path("patients/<int:patient_id>/plan/", plan_views.patient_plan, name="patient_plan"),
    path("liquid/", plan_views.liquid, name="liquid"),
    path("dose-forms/", plan_views.dose_form_list, name="dose_forms"),
    path("medications/", medication_views.medication_list, name="medications"),
    path("medications/screen/", medication_views.rescreen, name="rescreen"),
    path("medications/<int:pk>/", medication_views.medication_edit, name="medication_edit"),
    path("medications/<int:pk>/stop/", medication_views.medication_stop, name="medication_stop"),
    path(
        "medications/<int:pk>/remove/", medication_views.medication_delete, name="medication_delete"
    ),
    path(
        "patients/<int:patient_id>/medications/",
        medication_views.patient_medications,
        name="patient_medications",
    ),
    path(
        "findings/<int:pk>/planned/",
        medication_views.finding_acknowledge,
        name="finding_acknowledge",
    ),
    path("reminders/", reminder_views.reminder_settings, name="reminders"),
    path("reminders/new-link/", reminder_views.feed_rotate, name="feed_rotate"),
    path(
        "reminders/follow-ups/<int:pk>/remove/",
        reminder_views.follow_up_delete,
        name="follow_up_delete",
    ),
    path("feed/<str:token>.ics", reminder_views.feed, name="feed"),
    path("taken/<str:token>/", reminder_views.taken, name="taken"),
]
