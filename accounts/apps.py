from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Người dùng và đơn vị")

    def ready(self) -> None:
        from .roles import sync_role_groups

        # Permissions exist only after every app has migrated, so the role groups are kept in
        # step after each migrate rather than in a data migration.
        post_migrate.connect(sync_role_groups, dispatch_uid="accounts.sync_role_groups")
