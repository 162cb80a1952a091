from django.db import migrations


class Migration(migrations.Migration):
    """Kept as a dependency anchor. The built-in roles are seeded after every migrate by
    `tradeloop.accounts.apps.seed_builtin_roles` (also after a test flush, which a data migration is not)."""

    dependencies = [("accounts", "0001_initial")]
    operations = []
