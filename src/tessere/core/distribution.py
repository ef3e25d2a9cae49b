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
- ``GAPS``: rows belong to a district but the table has no ``district`` column yet (mostly
  Django's implicit many-to-many tables). What each one needs is written next to it.
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
    }
)

# label -> what is missing before the table can be distributed by district
GAPS: dict[str, str] = {
    "core.AuditEntry": "district is nullable (actions outside any district: users, roles); such "
    "rows need a table of their own (or a reference table of global entries)",
    "profile.Need_municipalities": "implicit many-to-many table: needs an explicit through model "
    "with district",
    "participation.Contribution_needs": "implicit many-to-many: through model with district",
    "planning.Objective_needs": "implicit many-to-many: needs a through model with district",
    "planning.Action_services": "implicit many-to-many (action × service): through "
    "model with district",
    "planning.Action_leps": "implicit many-to-many to a reference table: "
    "through model with district",
    "planning.Action_origin_contributions": "implicit many-to-many: through model with district",
    "planning.Fund_eligible_areas": "implicit many-to-many: through model with district",
    "planning.Fund_mandatory_actions": "implicit many-to-many: through model with district",
    "access.AccessPoint_staff": "implicit many-to-many (access point × user): "
    "through model with district",
}


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
