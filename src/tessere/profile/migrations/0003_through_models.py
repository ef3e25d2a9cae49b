"""The implicit many-to-many tables of profile become through models with a district.

The tables keep their names and rows (``SeparateDatabaseAndState``); each gains a
``district_id`` filled from the row that owns the link, so that the table can be distributed
by district (tessere.core.distribution). The next migration makes it non-null.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery

# through model, owning model, column of the owner
LINKS = [
    ("NeedMunicipality", "need", "need_id"),
]


def fill_district(apps, schema_editor):
    for through_name, owner_name, owner_column in LINKS:
        through = apps.get_model("profile", through_name)
        owner = apps.get_model("profile", owner_name)
        owner_district = owner.objects.filter(pk=OuterRef(owner_column)).values("district_id")
        through.objects.filter(district__isnull=True).update(
            district_id=Subquery(owner_district[:1])
        )


class Migration(migrations.Migration):
    dependencies = [
        ("profile", "0002_indicators_series_bands_need_evidence"),
        ("territory", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="NeedMunicipality",
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
                            "need",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="profile.need",
                            ),
                        ),
                        (
                            "municipality",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="territory.municipality",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "profile_need_municipalities",
                        "unique_together": {("need", "municipality")},
                    },
                ),
                migrations.AlterField(
                    model_name="need",
                    name="municipalities",
                    field=models.ManyToManyField(
                        blank=True,
                        help_text="Nessuno: il bisogno riguarda tutto l'ambito.",
                        related_name="needs",
                        through="profile.NeedMunicipality",
                        to="territory.municipality",
                        verbose_name="comuni interessati",
                    ),
                ),
            ],
        ),
        migrations.AddField(
            model_name="needmunicipality",
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
