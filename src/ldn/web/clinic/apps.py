from django.apps import AppConfig


class ClinicConfig(AppConfig):
    name = "ldn.web.clinic"
    label = "clinic"
    verbose_name = "Clinic: sharing, clinicians, audit"

    def ready(self) -> None:
        from ldn.web.clinic import signals, twofactor  # noqa: F401  (twofactor: login receiver)

        signals.connect()
