from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from tessere.api.urls import api
from tessere.core import forms

auth_patterns = [
    path(
        "accedi/",
        auth_views.LoginView.as_view(authentication_form=forms.LoginForm),
        name="login",
    ),
    path("esci/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/cambia/",
        auth_views.PasswordChangeView.as_view(form_class=forms.PasswordChangeForm),
        name="password_change",
    ),
    path(
        "password/cambiata/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "password/reimposta/",
        auth_views.PasswordResetView.as_view(
            form_class=forms.PasswordResetForm,
            email_template_name="registration/password_reset_email.txt",
        ),
        name="password_reset",
    ),
    path(
        "password/reimposta/inviata/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reimposta/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(form_class=forms.SetPasswordForm),
        name="password_reset_confirm",
    ),
    path(
        "password/reimpostata/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

urlpatterns = [
    path("", include("tessere.core.urls")),
    path("ambiti/", include("tessere.territory.urls")),
    path("profilo/", include("tessere.profile.urls")),
    path("guida/", include("tessere.directory.urls")),
    path("tavoli/", include("tessere.participation.urls")),
    path("piano/", include("tessere.planning.urls")),
    path("sportello/", include("tessere.access.urls")),
    path("monitoraggio/", include("tessere.monitoring.urls")),
    path("", include(auth_patterns)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("api/hsds/", include("tessere.directory.hsds_urls")),
]

handler400 = "tessere.core.views.error_400"
handler403 = "tessere.core.views.error_403"
handler404 = "tessere.core.views.error_404"
