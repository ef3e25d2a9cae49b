from django.urls import URLPattern, path

from tessere.access import case_views, twofactor, views

app_name = "access"

urlpatterns: list[URLPattern] = [
    path("", views.home, name="home"),
    path("verifica-in-due-passaggi/attiva/", twofactor.enrol, name="enrol"),
    path("verifica-in-due-passaggi/", twofactor.verify, name="verify"),
    path("accoglienza/", views.intake, name="intake"),
    path("servizi/cerca/", views.service_suggestions, name="service_suggestions"),
    path("persone/", views.person_search, name="person_search"),
    path("persone/<uuid:person_id>/", views.person_detail, name="person_detail"),
    path("persone/<uuid:person_id>/accessi/", views.person_access_log, name="person_access_log"),
    path("persone/<uuid:person_id>/esporta/", views.person_export, name="person_export"),
    path(
        "persone/<uuid:person_id>/unisci/<uuid:duplicate_id>/",
        views.person_merge,
        name="person_merge",
    ),
    path("persone/<uuid:person_id>/apri-caso/", views.case_open, name="case_open"),
    path("persone/<uuid:person_id>/nucleo/", views.person_household, name="person_household"),
    path("persone/<uuid:person_id>/consensi/", views.person_consent, name="person_consent"),
    path(
        "persone/<uuid:person_id>/consensi/<uuid:consent_id>/revoca/",
        views.consent_withdraw,
        name="consent_withdraw",
    ),
    path("casi/", case_views.case_list, name="case_list"),
    path("casi/<uuid:case_id>/", case_views.case_detail, name="case_detail"),
    path("casi/<uuid:case_id>/progetto.pdf", case_views.project_pdf, name="project_pdf"),
    path("casi/<uuid:case_id>/<slug:action>/", case_views.case_action, name="case_action"),
    path("invii/<uuid:referral_id>/annulla/", case_views.referral_cancel, name="referral_cancel"),
    path("ente/invii/", views.inbox, name="inbox"),
    path("ente/invii/<uuid:referral_id>/", views.inbox_detail, name="inbox_detail"),
    path("monitoraggio/", views.monitoring, name="monitoring"),
    path("prestazioni.csv", views.delivered_export, name="delivered_export"),
]
