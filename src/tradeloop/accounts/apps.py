from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def seed_builtin_roles(using: str = "default", **_) -> None:
    """The built-in roles are data every install needs. Seeded after every migrate (and after a test flush)."""
    from tradeloop.accounts.models import Role
    from tradeloop.accounts.roles import BUILTIN_ROLES

    for position, (code, name, capabilities) in enumerate(BUILTIN_ROLES):
        Role.objects.using(using).get_or_create(
            code=code, defaults={"name": name, "capabilities": capabilities, "position": position}
        )


class AccountsConfig(AppConfig):
    name = "tradeloop.accounts"
    label = "accounts"
    verbose_name = _("Accounts and organizations")

    def ready(self) -> None:
        post_migrate.connect(seed_builtin_roles, sender=self, dispatch_uid="seed_builtin_roles")
