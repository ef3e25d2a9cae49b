"""Pages of the tables: views resolve the district and the table through the selectors
(scoped), ask ``rules`` what the user may do, and call services; a ``DomainError`` becomes a
form error or a 4xx page."""

from tessere.participation.views.actions import (
    contribution_action,
    contribution_create,
    meeting_action,
    meeting_create,
    members_page,
    minutes_edit,
    moderate,
    moderation_page,
    phases_page,
    scoring_page,
    table_create,
)
from tessere.participation.views.pages import (
    attachment_download,
    contribution_page,
    district_calendar,
    district_page,
    index,
    meeting_list,
    meeting_page,
    minutes_pdf,
    ranking_csv,
    ranking_page,
    ranking_pdf,
    table_calendar,
    table_page,
)

__all__ = [
    "attachment_download",
    "contribution_action",
    "contribution_create",
    "contribution_page",
    "district_calendar",
    "district_page",
    "index",
    "meeting_action",
    "meeting_create",
    "meeting_list",
    "meeting_page",
    "members_page",
    "minutes_edit",
    "minutes_pdf",
    "moderate",
    "moderation_page",
    "phases_page",
    "ranking_csv",
    "ranking_page",
    "ranking_pdf",
    "scoring_page",
    "table_calendar",
    "table_create",
    "table_page",
]
