from django.apps import AppConfig


class JournalConfig(AppConfig):
    name = "ldn.web.journal"
    label = "journal"
    verbose_name = "Journal"
