from django.urls import path

from tessere.planning import editing, views

app_name = "planning"

urlpatterns = [
    path("", views.index, name="index"),
    path("ambito/<slug:code>/", views.district_plans, name="district_plans"),
    path("<int:pk>/", views.plan_detail, name="plan_detail"),
    path("<int:pk>/pubblico/", views.plan_public, name="plan_public"),
    path("<int:pk>/stato/", views.plan_status, name="plan_status"),
    path("<int:pk>/approvazione/", views.plan_approve, name="plan_approve"),
    path("<int:pk>/nuova-versione/", views.plan_new_version, name="plan_new_version"),
    path("<int:pk>/differenze/", views.plan_diff, name="plan_diff"),
    path("<int:pk>/finanziamento/", views.allocation_table, name="allocation_table"),
    path("<int:pk>/finanziamento/proposta/", views.proposal, name="proposal"),
    path("<int:pk>/documento.<str:fmt>", views.document, name="document"),
    path("<int:pk>/documenti/<int:document_id>/", views.document_status, name="document_status"),
    path(
        "<int:pk>/documenti/<int:document_id>/scarica/",
        views.document_download,
        name="document_download",
    ),
    path("<int:pk>/aree/", editing.area_create, name="area_create"),
    path("<int:pk>/aree/<int:area_id>/", editing.area_edit, name="area_edit"),
    path("<int:pk>/aree/<int:area_id>/elimina/", editing.area_delete, name="area_delete"),
    path("<int:pk>/obiettivi/nuovo/", editing.objective_edit, name="objective_create"),
    path("<int:pk>/obiettivi/<int:objective_id>/", editing.objective_edit, name="objective_edit"),
    path("<int:pk>/azioni/nuova/", editing.action_edit, name="action_create"),
    path("<int:pk>/azioni/<int:action_id>/", editing.action_detail, name="action_detail"),
    path("<int:pk>/azioni/<int:action_id>/modifica/", editing.action_edit, name="action_edit"),
    path(
        "<int:pk>/azioni/<int:action_id>/contributi/",
        editing.action_origin_add,
        name="action_origin_add",
    ),
    path(
        "<int:pk>/azioni/<int:action_id>/contributi/<int:contribution_id>/rimuovi/",
        editing.action_origin_remove,
        name="action_origin_remove",
    ),
    path("<int:pk>/fondi/nuovo/", editing.fund_edit, name="fund_create"),
    path("<int:pk>/fondi/<int:fund_id>/", editing.fund_edit, name="fund_edit"),
    path("<int:pk>/risorse/", editing.resource_create, name="resource_create"),
    path(
        "<int:pk>/risorse/<int:resource_id>/elimina/",
        editing.resource_delete,
        name="resource_delete",
    ),
]
