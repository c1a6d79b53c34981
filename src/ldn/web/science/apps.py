from django.apps import AppConfig


class ScienceConfig(AppConfig):
    name = "ldn.web.science"
    label = "science"
    verbose_name = "How LDN works"
