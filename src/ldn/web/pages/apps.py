from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "ldn.web.pages"
    label = "pages"
    verbose_name = "Pages"
