from django.urls import path

from tessere.monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:code>/", views.public, name="public"),
    path("<slug:code>/dati/", views.open_data_root, name="open_data_root"),
    path(
        "<slug:code>/dati/catalogo.<str:fmt>",
        views.open_catalogue,
        name="catalogue",
    ),
    path("<slug:code>/dati/<slug:dataset>.<str:fmt>", views.open_data, name="open_data"),
    path("<slug:code>/lavoro/", views.work, name="work"),
    path("<slug:code>/cruscotto/", views.dashboard_page, name="dashboard"),
    path("<slug:code>/lavoro/azioni/<int:pk>/", views.action_page, name="action"),
    path("<slug:code>/lavoro/importa/", views.import_csv, name="import"),
    path("<slug:code>/lavoro/spesa/", views.spending, name="spending"),
    path("<slug:code>/lavoro/automatici/", views.refresh, name="refresh"),
    path("<slug:code>/lavoro/rapporto/", views.report_request, name="report"),
    path(
        "<slug:code>/lavoro/rapporto/<int:report_id>/",
        views.report_status,
        name="report_status",
    ),
    path(
        "<slug:code>/lavoro/rapporto/<int:report_id>/scarica/",
        views.report_download,
        name="report_download",
    ),
]
