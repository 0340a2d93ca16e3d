from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from polku.insights.models import CostRule, CountyMunicipality


@admin.register(CountyMunicipality)
class CountyMunicipalityAdmin(admin.ModelAdmin):
    list_display = ["municipality", "county"]
    search_fields = ["county", "municipality__name_fi"]


@admin.register(CostRule)
class CostRuleAdmin(admin.ModelAdmin):
    list_display = ["name", "effective_from", "has_steps_to_check", "note"]

    @admin.display(boolean=True, description=_("steps to be checked"))
    def has_steps_to_check(self, rule: CostRule) -> bool:
        return rule.has_steps_to_check
