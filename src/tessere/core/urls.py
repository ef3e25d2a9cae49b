from django.urls import path

from tessere.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("area-riservata/", views.dashboard, name="dashboard"),
    path("area-riservata/ambito/", views.switch_district, name="switch_district"),
    path("area-riservata/registro/", views.audit_log, name="audit_log"),
    path("area-riservata/personale/", views.staff, name="staff"),
    path(
        "area-riservata/personale/<int:membership_id>/revoca/",
        views.staff_revoke,
        name="staff_revoke",
    ),
    path("privacy/", views.privacy, name="privacy"),
    path("accessibilita/", views.accessibility, name="accessibility"),
    path("licenza/", views.licence, name="licence"),
    path("fonti-dei-dati/", views.credits, name="credits"),
]
