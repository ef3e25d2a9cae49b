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
    "territory.Region": "Italia intera, letta da tutti",
    "territory.Province": "Italia intera",
    "territory.Municipality": "Italia intera; ogni ambito la confronta con regione e Italia",
    "territory.PopulationCount": "Italia intera (popolazione per età), letta per confronti",
    "territory.TerritoryLoad": "stato del caricamento del territorio",
    "territory.District": "l'elenco degli ambiti: piccolo, riferito da ogni tabella",
    "territory.DistrictMunicipality": "piccolo; unisce ambiti e comuni nelle ricerche",
    "territory.SubDistrict": "piccolo; riferito dai tavoli e dai contributi",
    "territory.SubDistrict_municipalities": "piccolo, segue SubDistrict",
    "territory.Neighbourhood": "piccolo; riferito dai tavoli e dai contributi",
    "profile.PopulationBands": "fasce d'età per comune: Italia intera",
    "profile.PopulationBandsState": "stato del calcolo delle fasce",
    "directory.Taxonomy": "Nomenclatore CISIS: nazionale",
    "directory.TaxonomyTerm": "Nomenclatore CISIS: nazionale",
    "planning.Leps": "LEPS: nazionali",
    "core.User": "un utente può lavorare in più ambiti",
    "core.User_groups": "segue User",
    "core.User_user_permissions": "segue User",
    "core.Membership": "i ruoli di un utente in tutti gli ambiti, letti in una query a ogni "
    "richiesta: piccolo, replicato",
    "auth.Group": "Django",
    "auth.Group_permissions": "Django",
    "auth.Permission": "Django",
    "contenttypes.ContentType": "Django",
    "otp_totp.TOTPDevice": "segue User (verifica in due passaggi)",
}

# label -> machinery kept on the coordinator only
LOCAL: dict[str, str] = {
    "sessions.Session": "sessioni",
    "axes.AccessAttempt": "tentativi di accesso falliti",
    "axes.AccessAttemptExpiration": "tentativi di accesso falliti",
    "axes.AccessFailureLog": "tentativi di accesso falliti",
    "axes.AccessLog": "accessi",
    "admin.LogEntry": "registro dell'amministrazione di Django",
    "django_tasks_database.DBTaskResult": "coda dei lavori in background",
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
    }
)

# label -> what is missing before the table can be distributed by district
GAPS: dict[str, str] = {
    "core.AuditEntry": "district nullable (azioni senza ambito: utenti, ruoli); le righe "
    "senza ambito vanno in una tabella a parte o su un ambito convenzionale",
    "profile.Need_municipalities": "tabella implicita many-to-many: serve un modello "
    "'through' esplicito con district",
    "participation.Contribution_needs": "many-to-many implicita: serve un 'through' con district",
    "planning.Objective_needs": "many-to-many implicita: serve un 'through' con district",
    "planning.Action_services": "many-to-many implicita (azione × servizio): 'through' con "
    "district",
    "planning.Action_leps": "many-to-many implicita verso una tabella di riferimento: "
    "'through' con district",
    "planning.Action_origin_contributions": "many-to-many implicita: 'through' con district",
    "planning.Fund_eligible_areas": "many-to-many implicita: 'through' con district",
    "planning.Fund_mandatory_actions": "many-to-many implicita: 'through' con district",
    "access.AccessPoint_staff": "many-to-many implicita (sportello × utente): 'through' con "
    "district",
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
