"""The implicit many-to-many tables of planning become through models with a district.

The tables keep their names and rows (``SeparateDatabaseAndState``); each gains a
``district_id`` filled from the row that owns the link, so that the table can be distributed
by district (tessere.core.distribution). The next migration makes it non-null.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery

# through model, owning model, column of the owner
LINKS = [
    ("ObjectiveNeed", "objective", "objective_id"),
    ("ActionService", "action", "action_id"),
    ("ActionLeps", "action", "action_id"),
    ("ActionOriginContribution", "action", "action_id"),
    ("FundEligibleArea", "fund", "fund_id"),
    ("FundMandatoryAction", "fund", "fund_id"),
]


def fill_district(apps, schema_editor):
    for through_name, owner_name, owner_column in LINKS:
        through = apps.get_model("planning", through_name)
        owner = apps.get_model("planning", owner_name)
        owner_district = owner.objects.filter(pk=OuterRef(owner_column)).values("district_id")
        through.objects.filter(district__isnull=True).update(
            district_id=Subquery(owner_district[:1])
        )


class Migration(migrations.Migration):
    dependencies = [
        ("planning", "0005_version"),
        ("profile", "0002_indicators_series_bands_need_evidence"),
        ("directory", "0006_guide_covering_index"),
        ("participation", "0001_initial"),
        ("territory", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ObjectiveNeed",
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
                            "objective",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="planning.objective",
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
                    ],
                    options={
                        "db_table": "planning_objective_needs",
                        "unique_together": {("objective", "need")},
                    },
                ),
                migrations.AlterField(
                    model_name="objective",
                    name="needs",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="objectives",
                        through="planning.ObjectiveNeed",
                        to="profile.need",
                        verbose_name="bisogni",
                    ),
                ),
                migrations.CreateModel(
                    name="ActionService",
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
                            "action",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="planning.action",
                            ),
                        ),
                        (
                            "service",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="directory.service",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "planning_action_services",
                        "unique_together": {("action", "service")},
                    },
                ),
                migrations.AlterField(
                    model_name="action",
                    name="services",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="plan_actions",
                        through="planning.ActionService",
                        to="directory.service",
                        verbose_name="servizi",
                    ),
                ),
                migrations.CreateModel(
                    name="ActionLeps",
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
                            "action",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="planning.action",
                            ),
                        ),
                        (
                            "leps",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="planning.leps",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "planning_action_leps",
                        "unique_together": {("action", "leps")},
                    },
                ),
                migrations.AlterField(
                    model_name="action",
                    name="leps",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="actions",
                        through="planning.ActionLeps",
                        to="planning.leps",
                        verbose_name="LEPS",
                    ),
                ),
                migrations.CreateModel(
                    name="ActionOriginContribution",
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
                            "action",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="planning.action",
                            ),
                        ),
                        (
                            "contribution",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="participation.contribution",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "planning_action_origin_contributions",
                        "unique_together": {("action", "contribution")},
                    },
                ),
                migrations.AlterField(
                    model_name="action",
                    name="origin_contributions",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="plan_actions",
                        through="planning.ActionOriginContribution",
                        to="participation.contribution",
                        verbose_name="contributi dei tavoli da cui nasce",
                    ),
                ),
                migrations.CreateModel(
                    name="FundEligibleArea",
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
                            "fund",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="planning.fund",
                            ),
                        ),
                        (
                            "area",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="planning.area",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "planning_fund_eligible_areas",
                        "unique_together": {("fund", "area")},
                    },
                ),
                migrations.AlterField(
                    model_name="fund",
                    name="eligible_areas",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="eligible_funds",
                        through="planning.FundEligibleArea",
                        to="planning.area",
                        verbose_name="aree ammesse",
                    ),
                ),
                migrations.CreateModel(
                    name="FundMandatoryAction",
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
                            "fund",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="planning.fund",
                            ),
                        ),
                        (
                            "action",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="planning.action",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "planning_fund_mandatory_actions",
                        "unique_together": {("fund", "action")},
                    },
                ),
                migrations.AlterField(
                    model_name="fund",
                    name="mandatory_actions",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="mandatory_for_funds",
                        through="planning.FundMandatoryAction",
                        to="planning.action",
                        verbose_name="azioni obbligatorie",
                    ),
                ),
            ],
        ),
        migrations.AddField(
            model_name="objectiveneed",
            name="district",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="territory.district",
            ),
        ),
        migrations.AddField(
            model_name="actionservice",
            name="district",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="territory.district",
            ),
        ),
        migrations.AddField(
            model_name="actionleps",
            name="district",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="territory.district",
            ),
        ),
        migrations.AddField(
            model_name="actionorigincontribution",
            name="district",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="territory.district",
            ),
        ),
        migrations.AddField(
            model_name="fundeligiblearea",
            name="district",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="territory.district",
            ),
        ),
        migrations.AddField(
            model_name="fundmandatoryaction",
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
