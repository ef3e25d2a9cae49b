"""The implicit many-to-many tables of access become through models with a district.

The tables keep their names and rows (``SeparateDatabaseAndState``); each gains a
``district_id`` filled from the row that owns the link, so that the table can be distributed
by district (tessere.core.distribution). The next migration makes it non-null.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery

# through model, owning model, column of the owner
LINKS = [
    ("AccessPointStaff", "accesspoint", "access_point_id"),
]


def fill_district(apps, schema_editor):
    for through_name, owner_name, owner_column in LINKS:
        through = apps.get_model("access", through_name)
        owner = apps.get_model("access", owner_name)
        owner_district = owner.objects.filter(pk=OuterRef(owner_column)).values("district_id")
        through.objects.filter(district__isnull=True).update(
            district_id=Subquery(owner_district[:1])
        )


class Migration(migrations.Migration):
    dependencies = [
        ("access", "0003_version"),
        ("territory", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AccessPointStaff",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "access_point",
                            models.ForeignKey(
                                db_column="accesspoint_id",
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="access.accesspoint",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "access_accesspoint_staff",
                        "unique_together": {("access_point", "user")},
                    },
                ),
                migrations.AlterField(
                    model_name="accesspoint",
                    name="staff",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="access_points",
                        through="access.AccessPointStaff",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
        ),
        migrations.AddField(
            model_name="accesspointstaff",
            name="district",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="territory.district",
            ),
        ),
        migrations.RunPython(fill_district, migrations.RunPython.noop),
    ]
