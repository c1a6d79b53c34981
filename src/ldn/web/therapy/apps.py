from django.apps import AppConfig


class TherapyConfig(AppConfig):
    name = "ldn.web.therapy"
    label = "therapy"
    verbose_name = "Therapy: plans, medications, screening, reminders"
