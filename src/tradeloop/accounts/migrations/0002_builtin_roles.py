from django.db import migrations

from tradeloop.accounts.roles import BUILTIN_ROLES


def seed_roles(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for position, (code, name, capabilities) in enumerate(BUILTIN_ROLES):
        Role.objects.update_or_create(code=code, defaults={"name": name, "capabilities": capabilities, "position": position})


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(seed_roles, migrations.RunPython.noop)]
