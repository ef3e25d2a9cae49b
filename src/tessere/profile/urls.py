from django.urls import path

from tessere.profile import manage_views, views

app_name = "profile"

urlpatterns = [
    path("ambito/<slug:code>/", views.district_profile, name="district"),
    path("ambito/<slug:code>/mappa.svg", views.district_map_svg, name="district_map"),
    path(
        "ambito/<slug:code>/piramide.svg",
        views.pyramid_svg,
        {"kind": "district"},
        name="district_pyramid",
    ),
    path(
        "ambito/<slug:code>/indicatori.csv",
        views.profile_csv,
        {"kind": "district"},
        name="district_csv",
    ),
    path(
        "ambito/<slug:code>/analisi-del-contesto.pdf",
        views.district_chapter,
        {"fmt": "pdf"},
        name="district_pdf",
    ),
    path(
        "ambito/<slug:code>/analisi-del-contesto.odt",
        views.district_chapter,
        {"fmt": "odt"},
        name="district_odt",
    ),
    path(
        "ambito/<slug:code>/andamento.svg",
        views.trend_svg,
        {"kind": "district"},
        name="district_trend",
    ),
    path("ambito/<slug:code>/importa/", manage_views.import_series, name="import_series"),
    path("ambito/<slug:code>/bisogni/", manage_views.need_list, name="need_list"),
    path("ambito/<slug:code>/bisogni/nuovo/", manage_views.need_create, name="need_create"),
    path(
        "ambito/<slug:code>/bisogni/<int:pk>/modifica/",
        manage_views.need_edit,
        name="need_edit",
    ),
    path("comune/<str:istat>/", views.municipality_profile, name="municipality"),
    path(
        "comune/<str:code>/piramide.svg",
        views.pyramid_svg,
        {"kind": "municipality"},
        name="municipality_pyramid",
    ),
    path(
        "comune/<str:code>/andamento.svg",
        views.trend_svg,
        {"kind": "municipality"},
        name="municipality_trend",
    ),
    path(
        "comune/<str:code>/indicatori.csv",
        views.profile_csv,
        {"kind": "municipality"},
        name="municipality_csv",
    ),
]
