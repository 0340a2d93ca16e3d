"""The service kinds named in the programme texts (seeds 000-004), loaded by a data migration; after that
administrators keep the list in the admin. HSDS ids are stable: uuid5 of the code."""

from __future__ import annotations

import uuid

TAXONOMY_NAME = "polku-service-kinds"
NEEDS_TAXONOMY = "polku-support-needs"
TRANSLATIONS_TAXONOMY = "polku-translations"
NAMESPACE = uuid.UUID("8a0f6a2e-59c4-4f5e-9d3c-0c1f5b7a2d10")


def term_id(code: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"{TAXONOMY_NAME}:{code}")


# code, Finnish, Swedish, English, description
TERMS: list[tuple[str, str, str, str, str]] = [
    (
        "health-check-unemployed",
        "Työttömän terveystarkastus",
        "Hälsokontroll för arbetslösa",
        "Health check for the unemployed",
        "Health checks and health meetings for unemployed people.",
    ),
    ("basic-health-care", "Perusterveydenhuolto", "Primärvård", "Basic health care", "Health centre care."),
    ("specialist-care", "Erikoissairaanhoito", "Specialiserad sjukvård", "Specialist care", "Hospital care."),
    (
        "mental-health",
        "Mielenterveyspalvelut",
        "Mentalvårdstjänster",
        "Mental health services",
        "Assessment, treatment and support for mental health.",
    ),
    (
        "substance-services",
        "Päihdepalvelut",
        "Missbrukartjänster",
        "Substance services",
        "Support and treatment for substance use.",
    ),
    ("physiotherapy", "Fysioterapia", "Fysioterapi", "Physiotherapy", "Assessment and therapy of movement."),
    (
        "occupational-therapy",
        "Toimintaterapia",
        "Ergoterapi",
        "Occupational therapy",
        "Functional capacity in everyday life.",
    ),
    ("dental-care", "Suun terveydenhuolto", "Mun- och tandvård", "Dental care", "Dental care."),
    ("social-work", "Sosiaalityö", "Socialt arbete", "Social work", "Adult social work."),
    (
        "income-support-guidance",
        "Toimeentulotuen ohjaus",
        "Handledning i utkomststöd",
        "Income support guidance",
        "Guidance on income support and benefits.",
    ),
    ("debt-counselling", "Talous- ja velkaneuvonta", "Ekonomi- och skuldrådgivning", "Debt counselling", ""),
    (
        "kela-rehabilitation",
        "Kelan kuntoutus",
        "FPA:s rehabilitering",
        "Kela rehabilitation",
        "Rehabilitation arranged by Kela.",
    ),
    (
        "vocational-rehabilitation-assessment",
        "Ammatillinen kuntoutusselvitys",
        "Utredning av yrkesinriktad rehabilitering",
        "Vocational rehabilitation assessment",
        "",
    ),
    (
        "rehabilitation-psychotherapy",
        "Kuntoutuspsykoterapia",
        "Rehabiliterande psykoterapi",
        "Rehabilitation psychotherapy",
        "",
    ),
    ("vocational-guidance", "Ammatinvalinnanohjaus", "Yrkesvalsinformation", "Vocational guidance", ""),
    ("career-coaching", "Uravalmennus", "Karriärträning", "Career coaching", ""),
    ("education-trial", "Koulutuskokeilu", "Utbildningsprövning", "Education trial", ""),
    ("studies", "Opinnot", "Studier", "Studies", ""),
    ("work-trial", "Työkokeilu", "Arbetsprövning", "Work trial", ""),
    (
        "rehabilitative-work-activity",
        "Kuntouttava työtoiminta",
        "Arbetsverksamhet i rehabiliteringssyfte",
        "Rehabilitative work activity",
        "",
    ),
    ("wage-subsidy", "Palkkatuki", "Lönesubvention", "Wage subsidy", ""),
    (
        "job-coaching",
        "Työhönvalmennus / tuettu työllistyminen",
        "Jobbcoachning / stödd sysselsättning",
        "Job coaching / supported employment",
        "Supported employment, including IPS.",
    ),
]


# The register a referral to a service of the category belongs to (TaxonomyTerm.register, set by a data
# migration, administered in the admin afterwards); a category not named here is employment services.
HEALTH_CATEGORIES = frozenset(
    {
        "health-check-unemployed",
        "basic-health-care",
        "specialist-care",
        "mental-health",
        "substance-services",
        "physiotherapy",
        "occupational-therapy",
        "dental-care",
        "rehabilitation-psychotherapy",
    }
)
SOCIAL_CATEGORIES = frozenset(
    {"social-work", "income-support-guidance", "debt-counselling", "rehabilitative-work-activity"}
)


def register_of(code: str) -> str:
    """The register ("health", "social" or "employment") of referrals to the category `code`."""
    if code in HEALTH_CATEGORIES:
        return "health"
    if code in SOCIAL_CATEGORIES:
        return "social"
    return "employment"
