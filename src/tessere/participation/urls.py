from django.urls import path

from tessere.participation import views

app_name = "participation"

T = "<slug:code>/<int:table_id>/"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:code>/", views.district_page, name="district"),
    path("<slug:code>/calendario.ics", views.district_calendar, name="district_calendar"),
    path("<slug:code>/nuovo/", views.table_create, name="table_create"),
    path("<slug:code>/moderazione/", views.moderation_page, name="moderation"),
    path("<slug:code>/moderazione/<int:contribution_id>/", views.moderate, name="moderate"),
    path(T, views.table_page, name="table"),
    path(T + "calendario.ics", views.table_calendar, name="table_calendar"),
    path(T + "membri/", views.members_page, name="members"),
    path(T + "fasi/", views.phases_page, name="phases"),
    path(T + "incontri/", views.meeting_list, name="meetings"),
    path(T + "incontri/nuovo/", views.meeting_create, name="meeting_create"),
    path(T + "incontri/<int:meeting_id>/", views.meeting_page, name="meeting"),
    path(T + "incontri/<int:meeting_id>/verbale/", views.minutes_edit, name="minutes_edit"),
    path(T + "incontri/<int:meeting_id>/verbale.pdf", views.minutes_pdf, name="minutes_pdf"),
    path(
        T + "incontri/<int:meeting_id>/allegati/<int:attachment_id>/",
        views.attachment_download,
        name="attachment",
    ),
    path(
        T + "incontri/<int:meeting_id>/<slug:action>/",
        views.meeting_action,
        name="meeting_action",
    ),
    path(T + "contributi/nuovo/", views.contribution_create, name="contribution_create"),
    path(T + "contributi/<int:contribution_id>/", views.contribution_page, name="contribution"),
    path(
        T + "contributi/<int:contribution_id>/<slug:action>/",
        views.contribution_action,
        name="contribution_action",
    ),
    path(T + "valutazione/", views.scoring_page, name="scoring"),
    path(T + "classifica/", views.ranking_page, name="ranking"),
    path(T + "classifica.csv", views.ranking_csv, name="ranking_csv"),
    path(T + "classifica.pdf", views.ranking_pdf, name="ranking_pdf"),
]
