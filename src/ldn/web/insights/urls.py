from django.urls import path

from ldn.web.insights import views

app_name = "insights"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("patients/<int:patient_id>/", views.patient_dashboard, name="patient_dashboard"),
    path("trial/new/", views.trial_new, name="trial_new"),
    path("trial/<int:pk>/", views.trial_detail, name="trial"),
    path("trial/<int:pk>/link/", views.trial_link, name="trial_link"),
    path("trial/<int:pk>/unblind/", views.trial_unblind, name="trial_unblind"),
    path("trial/<int:pk>/result/", views.trial_result, name="trial_result"),
    path("trial/sheet/<str:token>/", views.trial_sheet, name="trial_sheet"),
]
