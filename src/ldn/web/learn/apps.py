from django.apps import AppConfig


class LearnConfig(AppConfig):
    name = "ldn.web.learn"
    label = "learn"
    verbose_name = "Learn about LDN"
