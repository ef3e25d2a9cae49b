from django.contrib import admin

from tessere.territory.models import (
    District,
    DistrictMunicipality,
    Municipality,
    Neighbourhood,
    Province,
    Region,
    SubDistrict,
)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["name", "code"]
    exclude = ["boundary"]


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "abbreviation", "region"]
    search_fields = ["name", "code", "abbreviation"]
    exclude = ["boundary"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "province", "first_year", "last_year"]
    search_fields = ["name", "code", "cadastral_code"]
    list_select_related = ["province"]
    exclude = ["boundary"]
    readonly_fields = ["province", "region"]


class DistrictMunicipalityInline(admin.TabularInline):
    model = DistrictMunicipality
    extra = 0
    raw_id_fields = ["municipality"]


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "region", "is_demo"]
    search_fields = ["name", "code"]
    raw_id_fields = ["lead_municipality"]
    inlines = [DistrictMunicipalityInline]


@admin.register(SubDistrict)
class SubDistrictAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "district"]
    raw_id_fields = ["municipalities"]


@admin.register(Neighbourhood)
class NeighbourhoodAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "municipality", "district"]
    raw_id_fields = ["municipality"]
