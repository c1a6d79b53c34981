from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "ldn.web.insights"
    label = "insights"
    verbose_name = "Insights: is LDN working for me?"
