from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest

from tessere.core.models import AuditEntry, Membership, ReadAccessEntry, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["district"]


@admin.register(User)
class TessereUserAdmin(UserAdmin):
    inlines = [MembershipInline]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_label", "action", "object_type", "object_repr", "district"]
    list_filter = ["action", "district"]
    search_fields = ["object_repr", "actor_label", "object_id"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(ReadAccessEntry)
class ReadAccessEntryAdmin(AuditEntryAdmin):
    list_display = ["at", "actor_label", "object_type", "object_id", "district", "purpose"]
    list_filter = ["district"]
    search_fields = ["actor_label", "object_id"]
