from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    default = True
    name = "ldn.web.accounts"
    label = "accounts"
    verbose_name = "Accounts"


class LdnAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with our site: second factor required, secrets never shown."""

    default = False
    default_site = "ldn.web.accounts.admin_site.SecureAdminSite"
