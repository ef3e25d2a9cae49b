"""Where every table would live on a PostgreSQL sharded by district (Citus).

The one list of record for ``docs/operations.md`` ("Beyond one machine") and for
``tests/reliability/test_distribution_keys.py``: every model of the project, Tessere's and
the libraries', is in exactly one of these four groups, so a new model fails the test until
someone decides where it goes.

- ``DISTRIBUTED``: rows belong to one district; the table carries its own non-null
  ``district`` foreign key, the distribution column. All are co-located (same column type,
  same shard count), so joins and foreign keys between them stay on one node.
- ``REFERENCE``: small or shared data that every district reads (territory, users, roles,
  national reference lists); replicated to every node.
- ``LOCAL``: the machinery of the application (sessions, login-failure counters, the task
  queue); stays on the coordinator, never joined with district data.
- ``GAPS``: rows belong to a district but the table cannot be distributed yet; empty today.

Foreign keys follow the groups (``foreign_key_violations``): a distributed table may point at a
distributed or a reference table, a reference table only at reference tables, a local table at
local or reference tables. ``tessere citus-prepare`` turns this list into the primary keys,
foreign keys and Citus calls of the one-time conversion.
"""

from __future__ import annotations

DISTRIBUTION_COLUMN = "district_id"

# label -> why it is a reference table
REFERENCE: dict[str, str] = {
    "territory.Region": "all of Italy, read by everyone",
    "territory.Province": "all of Italy",
    "territory.Municipality": "all of Italy; every district compares itself with region and Italy",
    "territory.PopulationCount": "all of Italy (population by age), read for comparisons",
    "territory.TerritoryLoad": "state of the territory loader",
    "territory.District": "the list of districts: small, referenced by every table",
    "territory.DistrictMunicipality": "small; joins districts and municipalities in searches",
    "territory.SubDistrict": "small; referenced by tables and contributions",
    "territory.SubDistrict_municipalities": "small, follows SubDistrict",
    "territory.Neighbourhood": "small; referenced by tables and contributions",
    "profile.PopulationBands": "age bands per municipality: all of Italy",
    "profile.PopulationBandsState": "state of the age-band computation",
    "directory.Taxonomy": "Nomenclatore CISIS: national",
    "directory.TaxonomyTerm": "Nomenclatore CISIS: national",
    "planning.Leps": "LEPS: national",
    "core.User": "a user may work in several districts",
    "core.User_groups": "follows User",
    "core.User_user_permissions": "follows User",
    "core.Membership": "a user's roles in every district, read in one query on every "
    "request: small, replicated",
    "auth.Group": "Django",
    "auth.Group_permissions": "Django",
    "auth.Permission": "Django",
    "contenttypes.ContentType": "Django",
    "otp_totp.TOTPDevice": "follows User (two-factor devices)",
}

# label -> machinery kept on the coordinator only
LOCAL: dict[str, str] = {
    "sessions.Session": "sessions",
    "axes.AccessAttempt": "login-failure counters",
    "axes.AccessAttemptExpiration": "login-failure counters",
    "axes.AccessFailureLog": "login-failure counters",
    "axes.AccessLog": "login log",
    "admin.LogEntry": "Django admin log",
    "django_tasks_database.DBTaskResult": "background task queue",
    "core.AuditEntry": "append-only change log; some rows have no district (users, roles); "
    "read one district at a time through its (district, at) index, never joined with "
    "distributed tables; points only at reference tables (users, districts)",
}

# Tables distributed by DISTRIBUTION_COLUMN: each model has a non-null `district` FK.
DISTRIBUTED: frozenset[str] = frozenset(
    {
        "core.ReadAccessEntry",
        "profile.IndicatorDefinition",
        "profile.SeriesValue",
        "profile.Need",
        "directory.Organisation",
        "directory.Service",
        "directory.Location",
        "directory.ServiceAtLocation",
        "directory.Schedule",
        "directory.ExchangeJob",
        "participation.Table",
        "participation.Phase",
        "participation.Member",
        "participation.Meeting",
        "participation.Attendance",
        "participation.MinutesApproval",
        "participation.Attachment",
        "participation.Contribution",
        "participation.StatusChange",
        "participation.Outcome",
        "participation.Support",
        "participation.Comment",
        "participation.Criterion",
        "participation.Score",
        "participation.DotVote",
        "planning.Plan",
        "planning.Area",
        "planning.Objective",
        "planning.Action",
        "planning.ActionPartner",
        "planning.ActionCost",
        "planning.Resource",
        "planning.Fund",
        "planning.FundAmount",
        "planning.FundShare",
        "planning.Allocation",
        "planning.PlanDocument",
        "access.AccessPoint",
        "access.Person",
        "access.ConsentRecord",
        "access.Household",
        "access.HouseholdMember",
        "access.Case",
        "access.TeamMember",
        "access.CaseNote",
        "access.Assessment",
        "access.AssessmentDomain",
        "access.PersonalisedProject",
        "access.ExpectedResult",
        "access.ProjectSupport",
        "access.Commitment",
        "access.ProjectReview",
        "access.Referral",
        "access.ReferralEvent",
        "access.Contact",
        "access.DeliveredService",
        "monitoring.ActionIndicator",
        "monitoring.Measurement",
        "monitoring.ProgressEntry",
        "monitoring.Spending",
        "monitoring.MeasurementReminder",
        "monitoring.MonitoringReport",
        # The many-to-many tables, as through models with the owner's district.
        "profile.NeedMunicipality",
        "participation.ContributionNeed",
        "planning.ObjectiveNeed",
        "planning.ActionService",
        "planning.ActionLeps",
        "planning.ActionOriginContribution",
        "planning.FundEligibleArea",
        "planning.FundMandatoryAction",
        "access.AccessPointStaff",
    }
)

# label -> what is missing before the table can be distributed by district. Empty: every
# table is placed. A future table that cannot be placed yet is listed here with what it needs
# (tests/reliability/test_distribution_keys.py keeps the list honest).
GAPS: dict[str, str] = {}


def group_of(label: str) -> str | None:
    """``"distributed"``, ``"reference"``, ``"local"``, ``"gap"`` or None when unlisted."""
    if label in DISTRIBUTED:
        return "distributed"
    if label in REFERENCE:
        return "reference"
    if label in LOCAL:
        return "local"
    if label in GAPS:
        return "gap"
    return None


def foreign_key_violations() -> list[str]:
    """Foreign keys that a database sharded by district could not keep, as readable lines.

    Allowed: distributed → distributed or reference; reference → reference; local → local or
    reference. A reference or local table pointing at a distributed table, or a distributed
    table pointing at a local one (the task queue, the audit log), is a design error: store
    the other row's id as a plain column instead.
    """
    from django.apps import apps

    allowed = {
        "distributed": {"distributed", "reference"},
        "reference": {"reference"},
        "local": {"local", "reference"},
        "gap": {"distributed", "reference", "local", "gap"},
    }
    found = []
    for model in apps.get_models(include_auto_created=True):
        group = group_of(model._meta.label)
        if group is None:
            continue
        for field in model._meta.local_fields:
            target = field.related_model if field.is_relation else None
            if target is None or not getattr(field, "db_constraint", False):
                continue
            target_group = group_of(target._meta.label)
            if target_group not in allowed[group]:
                found.append(
                    f"{model._meta.label}.{field.name} ({group}) -> "
                    f"{target._meta.label} ({target_group})"
                )
    return sorted(found)
