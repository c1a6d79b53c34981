from django.urls import path

from ldn.web.learn import views

app_name = "learn"
urlpatterns = [
    path("", views.index, name="index"),
    path("conditions/", views.conditions, name="conditions"),
    path("conditions/<slug:slug>/", views.condition, name="condition"),
    path("grades/", views.grades, name="grades"),
    path("misconceptions/", views.misconceptions, name="misconceptions"),
    path("side-effects/", views.side_effects, name="side_effects"),
    path("safe-use/", views.safe_use, name="safe_use"),
    path("habits-and-therapies/", views.habits, name="habits"),
    path("organisations/", views.organisations, name="organisations"),
    path("references/", views.references, name="references"),
    path("search/", views.search, name="search"),
    path("guide.pdf", views.guide_pdf, name="guide_pdf"),
]
