from django.db import migrations


def load(apps, schema_editor):
    from tessere.planning.reference import load_leps

    load_leps(apps.get_model("planning", "Leps"))


class Migration(migrations.Migration):
    dependencies = [("planning", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
