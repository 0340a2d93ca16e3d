"""A believable demo catalogue for Oulu, Espoo and Rovaniemi, and a few referrals of the Oulu personal
worker's clients (one overdue, one started), for `manage.py seed_demo`. Ids are uuid5 of the names, so
seeding again adds nothing."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from django.utils import timezone

from polku.accounts.models import Membership, Organisation, Unit
from polku.clients.demo import OULU_WORKER
from polku.clients.models import Case, Municipality
from polku.core import story_time
from polku.core.seeding import DemoContext
from polku.network import services
from polku.network.models import (
    Provider,
    Referral,
    ReferralStatus,
    Service,
    ServiceContact,
    ServiceLocation,
    TaxonomyTerm,
)

NAMESPACE = uuid.UUID("3b8e1c55-0d6f-4b7a-8f0e-6c2a9d4e1f20")

# name, description, Polku organisation (by name) or "", business id
PROVIDERS = [
    ("Pohjois-Pohjanmaan hyvinvointialue", "Sosiaali- ja terveyspalvelut Pohjois-Pohjanmaalla.", True),
    ("Kela, Pohjois-Suomen vakuutuspiiri", "Kelan kuntoutus ja etuudet.", True),
    ("Polun Tuki ry", "Yhdistys, joka järjestää kuntouttavaa työtoimintaa Oulussa.", True),
    ("Pohjoisen ammattiopisto", "Ammatillinen aikuiskoulutus ja koulutuskokeilut.", True),
    ("Oulun seudun työllisyysalue", "Julkiset työvoimapalvelut Oulun seudulla.", True),
    (
        "Länsi-Uudenmaan hyvinvointialue",
        "Sosiaali- ja terveyspalvelut Espoossa ja Länsi-Uudellamaalla.",
        False,
    ),
    ("Espoon työllisyysalue", "Julkiset työvoimapalvelut Espoossa.", False),
    ("Lapin hyvinvointialue", "Sosiaali- ja terveyspalvelut Lapissa.", False),
    ("Rovaniemen kaupunki", "Työllisyyspalvelut ja kuntouttava työtoiminta Rovaniemellä.", True),
    ("Takuusäätiö", "Valtakunnallinen velkaneuvonta ja talousneuvonta.", False),
]

# The providers' Swedish names where the data gives one (bilingual areas, national bodies).
PROVIDER_NAMES_SV = {
    "Pohjois-Pohjanmaan hyvinvointialue": "Norra Österbottens välfärdsområde",
    "Kela, Pohjois-Suomen vakuutuspiiri": "FPA, Norra Finlands försäkringsdistrikt",
    "Länsi-Uudenmaan hyvinvointialue": "Västra Nylands välfärdsområde",
    "Espoon työllisyysalue": "Esbo sysselsättningsområde",
    "Lapin hyvinvointialue": "Lapplands välfärdsområde",
    "Takuusäätiö": "Garantistiftelsen",
}

# provider, category, name fi, sv, en, description fi, needs, languages, municipality, street, postal code,
# post office, accessibility, receiving Polku unit (organisation, unit) or None
SERVICES: list[tuple[Any, ...]] = [
    (
        "Pohjois-Pohjanmaan hyvinvointialue",
        "health-check-unemployed",
        "Työttömien terveystarkastus, Oulu",
        "Hälsokontroll för arbetslösa, Uleåborg",
        "Health check for the unemployed, Oulu",
        "Terveydenhoitajan tarkastus ja tarvittaessa lääkärin vastaanotto työttömille ja osatyökykyisille. "
        "Kartoitetaan terveydentila, työkyky ja hoidon tarve.",
        ["physical_health", "work_ability_assessment", "mental_health"],
        ["fi", "sv", "en"],
        "564",
        "Kajaanintie 50",
        "90220",
        "Oulu",
        "Esteetön sisäänkäynti, hissi, invapysäköinti pääovella.",
        ("Pohjois-Pohjanmaan hyvinvointialue", "Oulun terveyspalvelut, työttömien terveyspalvelut"),
    ),
    (
        "Pohjois-Pohjanmaan hyvinvointialue",
        "mental-health",
        "Mielenterveyden avopalvelut, Oulu",
        "Öppenvård för mental hälsa, Uleåborg",
        "Outpatient mental health services, Oulu",
        "Arviointi, lyhytterapia ja hoidon suunnittelu aikuisille. Ajanvaraus lähetteellä tai "
        "yhteydenotolla.",
        ["mental_health"],
        ["fi", "en"],
        "564",
        "Albertinkatu 16",
        "90100",
        "Oulu",
        "Esteetön, induktiosilmukka vastaanotossa.",
        None,
    ),
    (
        "Pohjois-Pohjanmaan hyvinvointialue",
        "substance-services",
        "Päihdepoliklinikka, Oulu",
        "",
        "Substance use clinic, Oulu",
        "Päihteiden käytön arviointi, hoito ja tuki. Myös omaisille.",
        ["substance_use"],
        ["fi"],
        "564",
        "Kiviharjuntie 5",
        "90220",
        "Oulu",
        "Katutason sisäänkäynti.",
        None,
    ),
    (
        "Pohjois-Pohjanmaan hyvinvointialue",
        "social-work",
        "Aikuissosiaalityö, Oulu",
        "Socialt arbete för vuxna, Uleåborg",
        "Adult social work, Oulu",
        "Tukea toimeentuloon, asumiseen ja arjen hallintaan sekä kuntouttavan työtoiminnan suunnitteluun.",
        ["social_and_financial", "housing", "everyday_functioning"],
        ["fi", "sv"],
        "564",
        "Torikatu 9",
        "90100",
        "Oulu",
        "Esteetön.",
        ("Pohjois-Pohjanmaan hyvinvointialue", "Aikuissosiaalityö, Oulu"),
    ),
    (
        "Pohjois-Pohjanmaan hyvinvointialue",
        "physiotherapy",
        "Fysioterapian työkykyarvio, Oulu",
        "",
        "Physiotherapy work ability assessment, Oulu",
        "Fysioterapeutin arvio fyysisestä toimintakyvystä ja työkyvystä sekä kotiharjoitteet.",
        ["physical_health", "work_ability_assessment"],
        ["fi"],
        "564",
        "Kajaanintie 50",
        "90220",
        "Oulu",
        "Esteetön, hissi.",
        None,
    ),
    (
        "Kela, Pohjois-Suomen vakuutuspiiri",
        "vocational-rehabilitation-assessment",
        "Ammatillinen kuntoutusselvitys",
        "Utredning av yrkesinriktad rehabilitering",
        "Vocational rehabilitation assessment",
        "Selvitetään, millainen työ tai koulutus sopii terveydentilaan. Haetaan Kelasta lomakkeella KU 101 "
        "ja lääkärinlausunnolla B.",
        ["work_ability_assessment"],
        ["fi", "sv"],
        "564",
        "Isokatu 27",
        "90100",
        "Oulu",
        "Esteetön palvelupiste.",
        None,
    ),
    (
        "Kela, Pohjois-Suomen vakuutuspiiri",
        "rehabilitation-psychotherapy",
        "Kelan kuntoutuspsykoterapia",
        "FPA:s rehabiliterande psykoterapi",
        "Kela rehabilitation psychotherapy",
        "Työ- tai opiskelukyvyn tukemiseen 16–67-vuotiaille, kun mielenterveyden häiriö uhkaa työkykyä.",
        ["mental_health"],
        ["fi", "sv"],
        "564",
        "Isokatu 27",
        "90100",
        "Oulu",
        "Esteetön palvelupiste.",
        None,
    ),
    (
        "Polun Tuki ry",
        "rehabilitative-work-activity",
        "Kuntouttava työtoiminta, Verstas",
        "",
        "Rehabilitative work activity, Verstas workshop",
        "Puu- ja kiinteistötöitä pienessä ryhmässä 4 tuntia päivässä, 2–4 päivää viikossa.",
        ["everyday_functioning", "skills_and_education"],
        ["fi"],
        "564",
        "Teollisuustie 12",
        "90410",
        "Oulu",
        "Ensimmäinen kerros, ei portaita; pääsy pyörätuolilla takaovesta.",
        None,
    ),
    (
        "Pohjoisen ammattiopisto",
        "education-trial",
        "Koulutuskokeilu aikuisille",
        "",
        "Education trial for adults",
        "Tutustu ammattiin ja opiskeluun 1–10 päivää ennen hakemista.",
        ["skills_and_education"],
        ["fi", "en"],
        "564",
        "Kaitoväylä 1",
        "90570",
        "Oulu",
        "Esteetön.",
        None,
    ),
    (
        "Oulun seudun työllisyysalue",
        "work-trial",
        "Työkokeilu",
        "Arbetsprövning",
        "Work trial",
        "Työkokeilu työpaikalla ammatinvalinnan tai työhön paluun tueksi, enintään 12 kuukautta.",
        ["skills_and_education", "work_ability_assessment"],
        ["fi", "sv", "en"],
        "564",
        "Hallituskatu 36",
        "90100",
        "Oulu",
        "Esteetön.",
        None,
    ),
    (
        "Länsi-Uudenmaan hyvinvointialue",
        "health-check-unemployed",
        "Työttömien terveyspalvelut, Espoo",
        "Hälsovård för arbetslösa, Esbo",
        "Health services for the unemployed, Espoo",
        "Terveystarkastukset ja työkyvyn arviointi työttömille espoolaisille.",
        ["physical_health", "work_ability_assessment"],
        ["fi", "sv", "en"],
        "049",
        "Kamreerintie 2",
        "02770",
        "Espoo",
        "Esteetön, hissi.",
        None,
    ),
    (
        "Espoon työllisyysalue",
        "job-coaching",
        "Työhönvalmennus (IPS), Espoo",
        "Jobbcoachning (IPS), Esbo",
        "Job coaching (IPS), Espoo",
        "Tuettu työllistyminen IPS-mallin mukaan: työnhaku alkaa heti ja tuki jatkuu työn alettua.",
        ["skills_and_education"],
        ["fi", "sv", "en", "ar", "so"],
        "049",
        "Siltakatu 11",
        "02770",
        "Espoo",
        "Esteetön.",
        None,
    ),
    (
        "Lapin hyvinvointialue",
        "mental-health",
        "Mielenterveys- ja päihdepalvelut, Rovaniemi",
        "",
        "Mental health and substance services, Rovaniemi",
        "Matalan kynnyksen mielenterveys- ja päihdepalvelut aikuisille.",
        ["mental_health", "substance_use"],
        ["fi", "se"],
        "698",
        "Sairaalakatu 1",
        "96400",
        "Rovaniemi",
        "Esteetön.",
        None,
    ),
    (
        "Rovaniemen kaupunki",
        "rehabilitative-work-activity",
        "Kuntouttava työtoiminta, Rovaniemi",
        "",
        "Rehabilitative work activity, Rovaniemi",
        "Ryhmä- ja yksilötoimintaa työkyvyn ja arjen tueksi.",
        ["everyday_functioning"],
        ["fi"],
        "698",
        "Koskikatu 25",
        "96200",
        "Rovaniemi",
        "Esteetön sisäänkäynti pihan puolelta.",
        None,
    ),
    (
        "Takuusäätiö",
        "debt-counselling",
        "Velkaneuvonta puhelimessa",
        "Skuldrådgivning per telefon",
        "Debt counselling by phone",
        "Maksutonta neuvontaa velkoihin ja talouteen koko Suomessa.",
        ["social_and_financial"],
        ["fi", "sv"],
        "698",
        "Maakuntakatu 10",
        "96200",
        "Rovaniemi",
        "",
        None,
    ),
]


def _uuid(*parts: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, ":".join(parts))


def seed(ctx: DemoContext) -> None:
    organisations = {o.name: o for o in Organisation.objects.all()}
    providers: dict[str, Provider] = {}
    for name, description, linked in PROVIDERS:
        organisation = organisations.get(name) if linked else None
        providers[name], _ = Provider.objects.get_or_create(
            public_id=_uuid("provider", name),
            defaults={
                "name": name,
                "name_sv": PROVIDER_NAMES_SV.get(name, ""),
                "description": description,
                "organisation": organisation,
                "business_id": organisation.business_id if organisation else "",
            },
        )
    terms = {term.code: term for term in TaxonomyTerm.objects.all()}
    municipalities = {m.code: m for m in Municipality.objects.filter(code__in=["564", "049", "698"])}
    created = 0
    for row in SERVICES:
        (provider, category, fi, sv, en, description, needs, languages, code, street, postal, office) = row[
            :12
        ]
        accessibility, receiving = row[12], row[13]
        if Service.objects.filter(public_id=_uuid("service", fi)).exists() or code not in municipalities:
            continue
        unit = (
            Unit.objects.filter(organisation__name=receiving[0], name=receiving[1]).first()
            if receiving
            else None
        )
        service = Service.objects.create(
            public_id=_uuid("service", fi),
            provider=providers[provider],
            unit=unit,
            name_fi=fi,
            name_sv=sv,
            name_en=en,
            description_fi=description,
            category=terms[category],
            need_kinds=needs,
            eligibility="Työttömät ja osatyökykyiset asiakkaat.",
            languages=languages,
            application_process="Omatyöntekijän lähetteellä Polussa tai soittamalla palvelunumeroon.",
            phone="+358 8 000 0000" if code == "564" else "+358 9 000 0000",
        )
        ServiceLocation.objects.create(
            service=service,
            name=office + ", " + street,
            street_address=street,
            postal_code=postal,
            post_office=office,
            municipality=municipalities[code],
            accessibility=accessibility,
        )
        ServiceContact.objects.create(
            service=service, name="Palveluohjaus", title="Ajanvaraus ja neuvonta", phone=service.phone
        )
        created += 1
    referrals = _referrals()
    ctx.stdout.write(f"Demo service catalogue: {created} services added; {referrals} referrals.")


def _referrals() -> int:
    """Three of the Oulu worker's clients referred: one sent three weeks ago and not answered (overdue on
    the caseload), one accepted and started, one still a draft."""
    worker = (
        Membership.objects.active()
        .filter(user__email=OULU_WORKER)
        .select_related("unit__organisation")
        .first()
    )
    if worker is None:
        return 0
    cases = list(
        Case.objects.filter(personal_worker=worker, closed_on__isnull=True)
        .select_related("client")
        .order_by("client__last_name", "client__first_names", "id")[10:13]
    )
    if len(cases) < 3 or Referral.objects.filter(case__in=cases).exists():
        return 0
    health = Service.objects.filter(public_id=_uuid("service", "Kuntouttava työtoiminta, Verstas")).first()
    kela = Service.objects.filter(public_id=_uuid("service", "Ammatillinen kuntoutusselvitys")).first()
    if health is None or kela is None:
        return 0
    today = timezone.localdate()

    def on(days_ago: int, hour: int) -> Any:
        return story_time.happened_at(story_time.on_day(today - timedelta(days=days_ago), hour))

    # Drafted and sent three weeks ago, not answered since: overdue on the caseload.
    with on(22, 14):
        overdue = services.refer(
            case=cases[0], service=kela, by=worker, reason="Työkyvyn selvittäminen ennen ammatinvalintaa."
        )
    with on(21, 9):
        services.send(referral=overdue, by=worker)
    # Sent five weeks ago, accepted a week later (recorded by the worker: the provider's answer came by
    # phone), started two weeks after that.
    with on(35, 10):
        started = services.refer(
            case=cases[1], service=health, by=worker, reason="Arjen rytmi ja työelämävalmiudet."
        )
        services.send(referral=started, by=worker)
    with on(28, 13):
        services.move(referral=started, to=ReferralStatus.ACCEPTED, by=worker)
    with on(14, 9):
        services.move(referral=started, to=ReferralStatus.STARTED, by=worker)
    with on(3, 15):
        services.refer(case=cases[2], service=kela, by=worker, reason="Kuntoutustarpeen selvittäminen.")
    return 3
