from django.apps import AppConfig


class LivingConfig(AppConfig):
    name = "ldn.web.living"
    label = "living"
    verbose_name = "Living with LDN"
