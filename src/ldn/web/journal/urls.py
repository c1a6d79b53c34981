from django.urls import path

from ldn.web.journal import views

app_name = "journal"
urlpatterns = [
    path("entries/<int:pk>/", views.entry_detail, name="entry"),
    path("entries/<int:pk>/delete/", views.entry_delete, name="entry_delete"),
]
