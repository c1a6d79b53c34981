from django.urls import path, register_converter

from ldn.web.journal import questionnaires, transfer, views
from ldn.web.journal.converters import IsoDateConverter

register_converter(IsoDateConverter, "isodate")

app_name = "journal"
urlpatterns = [
    path("checkin/", views.checkin, name="checkin"),
    path("checkin/<isodate:day>/", views.checkin, name="checkin_day"),
    path("history/", views.history, name="history"),
    path("import/", transfer.import_upload, name="import"),
    path("import/preview/", transfer.import_preview, name="import_preview"),
    path("import/confirm/", transfer.import_confirm, name="import_confirm"),
    path("import/result/", transfer.import_result, name="import_result"),
    path("export/", transfer.export_zip, name="export"),
    path("questionnaires/", questionnaires.questionnaire_list, name="questionnaires"),
    path(
        "questionnaires/fill/<slug:instrument>/",
        questionnaires.questionnaire_fill,
        name="questionnaire_fill",
    ),
    path(
        "questionnaires/<int:pk>/",
        questionnaires.questionnaire_result,
        name="questionnaire_result",
    ),
    path("entries/<int:pk>/", views.entry_detail, name="entry"),
    path("entries/<int:pk>/delete/", views.entry_delete, name="entry_delete"),
]
