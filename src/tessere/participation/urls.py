from django.urls import URLPattern

app_name = "participation"

urlpatterns: list[URLPattern] = []
