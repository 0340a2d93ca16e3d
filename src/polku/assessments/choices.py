"""The assessment's fixed vocabularies: its kinds, the domains findings are written in (and the
register each domain's findings belong to), the domains each profession may assess, the conclusions,
and the events of its history."""

from collections.abc import Sequence

from django.db import models
from django.utils.translation import gettext_lazy as _

from polku.accounts.models import Role
from polku.clients.models import Register


class AssessmentKind(models.TextChoices):
    COMPREHENSIVE = "comprehensive", _("Comprehensive work ability assessment")
    FOCUSED = "focused", _("Focused assessment")


class Domain(models.TextChoices):
    SOMATIC = "somatic", _("Somatic")
    PSYCHOLOGICAL = "psychological", _("Psychological")
    SOCIAL = "social", _("Social")
    VOCATIONAL = "vocational", _("Vocational and skills")


# The register a finding of each domain belongs to (ARCHITECTURE.md rule 1).
DOMAIN_REGISTER = {
    Domain.SOMATIC: Register.HEALTH,
    Domain.PSYCHOLOGICAL: Register.HEALTH,
    Domain.SOCIAL: Register.SOCIAL,
    Domain.VOCATIONAL: Register.EMPLOYMENT,
}

# The domains each professional may assess; an invitation names one of them.
ROLE_DOMAINS: dict[str, tuple[str, ...]] = {
    Role.PERSONAL_WORKER: (Domain.SOCIAL, Domain.VOCATIONAL),
    Role.SOCIAL_WORKER: (Domain.SOCIAL,),
    Role.NURSE: (Domain.SOMATIC,),
    Role.PHYSICIAN: (Domain.SOMATIC, Domain.PSYCHOLOGICAL),
    Role.PSYCHOLOGIST: (Domain.PSYCHOLOGICAL,),
    Role.PHYSIOTHERAPIST: (Domain.SOMATIC,),
    Role.OCCUPATIONAL_THERAPIST: (Domain.SOMATIC, Domain.VOCATIONAL),
    Role.JOB_COACH: (Domain.VOCATIONAL,),
}


class AssessmentConclusion(models.TextChoices):
    READY_FOR_OPEN_MARKET = "open_market", _("Ready for the open labour market")
    OPEN_MARKET_WITH_ADJUSTMENTS = "open_market_adjusted", _("Open labour market with adjustments")
    SUPPORTED_EMPLOYMENT = "supported_employment", _("Supported employment (IPS)")
    REHABILITATION_FIRST = "rehabilitation_first", _("Rehabilitation first")
    DISABILITY_BENEFIT_ASSESSMENT = "disability_benefit", _("Medical assessment for disability benefits")
    SOCIAL_REHABILITATION_FIRST = "social_rehabilitation_first", _("Social rehabilitation first")
    STUDIES = "studies", _("Studies")


class AssessmentEvent(models.TextChoices):
    STARTED = "started", _("Started")
    CONCLUDED = "concluded", _("Concluded")


def domain_list(domains: Sequence[str]) -> str:
    """The domains' names in the reader's language, in one line ("psychological, social")."""
    return ", ".join(str(Domain(domain).label).lower() for domain in domains)
