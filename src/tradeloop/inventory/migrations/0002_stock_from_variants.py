"""Variants created before inventory existed carry their units in Variant.stock: put them in a default warehouse."""

from django.db import migrations


def forwards(apps, schema_editor):
    Variant = apps.get_model("catalog", "Variant")
    Warehouse = apps.get_model("inventory", "Warehouse")
    Stock = apps.get_model("inventory", "Stock")
    StockMovement = apps.get_model("inventory", "StockMovement")
    from django.utils import timezone

    stocked = Variant.objects.filter(stock__gt=0, stock_levels__isnull=True).select_related("product")
    warehouses = {}
    for variant in stocked.iterator():
        seller_id = variant.product.seller_id
        if seller_id not in warehouses:
            warehouses[seller_id], _ = Warehouse.objects.get_or_create(
                seller_id=seller_id, code="main", defaults={"name": "Main warehouse", "priority": 0}
            )
        stock = Stock.objects.create(variant=variant, warehouse=warehouses[seller_id], on_hand=variant.stock)
        StockMovement.objects.create(
            stock=stock, on_hand_delta=variant.stock, reason="import", note="stock before warehouses", at=timezone.now()
        )


class Migration(migrations.Migration):
    dependencies = [("inventory", "0001_initial"), ("catalog", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
