from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _load_reference_data(sender: AppConfig, **kwargs: Any) -> None:
    """Reference taxonomies are present wherever the tables are (as contenttypes do)."""
    from tessere.directory.taxonomy import ensure_loaded

    ensure_loaded()


class DirectoryConfig(AppConfig):
    name = "tessere.directory"
    label = "directory"
    verbose_name = _("Guida ai servizi")

    def ready(self) -> None:
        post_migrate.connect(_load_reference_data, sender=self)
