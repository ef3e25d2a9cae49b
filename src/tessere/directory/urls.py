from django.urls import path

from tessere.directory import exchange_views, staff_views, views

app_name = "directory"

urlpatterns = [
    path("", views.guide_index, name="index"),
    path("gestione/", staff_views.manage, name="manage"),
    path("gestione/da-verificare/", staff_views.queue, name="manage_queue"),
    path("gestione/scambio/", exchange_views.exchange, name="manage_exchange"),
    path("gestione/scambio/esporta/", exchange_views.export, name="manage_export"),
    path(
        "gestione/scambio/<int:job_id>/",
        exchange_views.job_status,
        name="manage_exchange_job",
    ),
    path(
        "gestione/scambio/<int:job_id>/scarica/",
        exchange_views.job_download,
        name="manage_exchange_download",
    ),
    path("gestione/servizi/nuovo/", staff_views.service_new, name="manage_new"),
    path("gestione/servizi/<uuid:service_id>/", staff_views.service_edit, name="manage_edit"),
    path(
        "gestione/servizi/<uuid:service_id>/pubblica/",
        staff_views.service_publish,
        name="manage_publish",
    ),
    path(
        "gestione/servizi/<uuid:service_id>/verifica/",
        staff_views.service_verify,
        name="manage_verify",
    ),
    path("gestione/enti/nuovo/", staff_views.organisation_new, name="manage_organisation_new"),
    path(
        "gestione/enti/<uuid:organisation_id>/",
        staff_views.organisation_edit,
        name="manage_organisation",
    ),
    path("<slug:code>/", views.guide, name="guide"),
    path("<slug:code>/aree/", views.areas, name="areas"),
    path("<slug:code>/servizi/<uuid:service_id>/", views.service_detail, name="service"),
    path(
        "<slug:code>/servizi/<uuid:service_id>/stampa/",
        views.service_print,
        name="service_print",
    ),
    path("<slug:code>/servizi/<uuid:service_id>/pdf/", views.service_pdf, name="service_pdf"),
    path(
        "<slug:code>/enti/<uuid:organisation_id>/",
        views.organisation_detail,
        name="organisation",
    ),
]
