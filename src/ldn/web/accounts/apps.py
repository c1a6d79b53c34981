from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ldn.web.accounts"
    label = "accounts"
    verbose_name = "Accounts"
