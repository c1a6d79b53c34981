from django.urls import path

from ldn.web.science import views

app_name = "science"
urlpatterns = [
    path("", views.index, name="index"),
    path("validation/", views.validation, name="validation"),
]
