from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "ldn.web.insights"
    label = "insights"
    verbose_name = "Insights: is LDN working for me?"

    def ready(self) -> None:
        from ldn.web.insights import tasks
        from ldn.web.journal.signals import journal_changed

        journal_changed.connect(tasks.schedule_warm_up, dispatch_uid="insights-warm-up")
