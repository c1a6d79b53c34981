from django.apps import AppConfig


class PushConfig(AppConfig):
    name = "ldn.web.push"
    label = "push"
    verbose_name = "Push reminders on the patient's devices"
