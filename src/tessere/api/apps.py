from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "tessere.api"
    label = "api"
    verbose_name = "API"
