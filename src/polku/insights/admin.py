from django.contrib import admin

from polku.insights.models import CountyMunicipality


@admin.register(CountyMunicipality)
class CountyMunicipalityAdmin(admin.ModelAdmin):
    list_display = ["municipality", "county"]
    search_fields = ["county", "municipality__name_fi"]
