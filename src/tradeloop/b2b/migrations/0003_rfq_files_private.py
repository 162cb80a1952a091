"""RFQ files move out of the public media folder into the private folder of the data directory."""

import shutil
from pathlib import Path

from django.conf import settings
from django.db import migrations, models

import tradeloop.b2b.models
import tradeloop.b2b.rfq_storage


def move_into_private(apps, schema_editor):
    RfqAttachment = apps.get_model("b2b", "RfqAttachment")
    media = Path(settings.MEDIA_ROOT)
    private = tradeloop.b2b.rfq_storage.private_root()
    for attachment in RfqAttachment.objects.filter(file__startswith="rfqs/").iterator():
        new_name = "rfq/" + attachment.file.name.removeprefix("rfqs/")
        source, target = media / attachment.file.name, private / new_name
        if source.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(source, target)
        RfqAttachment.objects.filter(pk=attachment.pk).update(file=new_name)
    shutil.rmtree(media / "rfqs", ignore_errors=True)


class Migration(migrations.Migration):
    dependencies = [("b2b", "0002_rfqs_and_quotes")]

    operations = [
        migrations.AlterField(
            model_name="rfqattachment",
            name="file",
            field=models.FileField(
                max_length=300,
                storage=tradeloop.b2b.rfq_storage.rfq_storage,
                upload_to=tradeloop.b2b.models.rfq_attachment_path,
            ),
        ),
        migrations.RunPython(move_into_private, migrations.RunPython.noop, elidable=True),
    ]
