"""The IPS-25 fidelity scale's items (IPS.md): number, short title, what full fidelity means."""

from django.utils.translation import gettext_lazy as _

ITEMS = (
    (1, _("Caseload size"), _("At most 20 active clients per full-time employment specialist.")),
    (2, _("Employment services staff"), _("Specialists do only employment work.")),
    (3, _("Vocational generalists"), _("Each specialist does every phase, from engagement to follow-along.")),
    (4, _("Integration with treatment via team assignment"), _("Attached to one or two care teams.")),
    (5, _("Integration via frequent team contact"), _("Weekly team meetings and shared decisions.")),
    (
        6,
        _("Collaboration with vocational rehabilitation"),
        _("Scheduled monthly meetings and frequent case contact."),
    ),
    (7, _("Vocational unit"), _("At least two specialists and a leader, weekly group supervision.")),
    (
        8,
        _("Role of the employment supervisor"),
        _("One supervisor per at most ten specialists; outcomes reviewed quarterly."),
    ),
    (9, _("Zero exclusion"), _("Everyone who wants work is eligible.")),
    (
        10,
        _("Agency focus on competitive employment"),
        _("Work is asked about at intake; employment rates are shared."),
    ),
    (11, _("Executive team support"), _("Leadership commitment; fidelity in quality assurance.")),
    (
        12,
        _("Work-incentives planning"),
        _("Benefits counselling before a job start and when hours or pay change."),
    ),
    (13, _("Disclosure"), _("Support for an informed choice about what the employer is told.")),
    (
        14,
        _("Ongoing work-based assessment"),
        _("Career profile from the first meetings, updated after every job."),
    ),
    (15, _("Rapid job search"), _("First face-to-face employer contact within about 30 days of entry.")),
    (16, _("Individualised job search"), _("Employer contacts follow the client's preferences.")),
    (
        17,
        _("Job development: frequent employer contact"),
        _("At least six face-to-face employer contacts per specialist a week."),
    ),
    (
        18,
        _("Job development: quality of employer contact"),
        _("Repeated planned visits to learn the employer's needs."),
    ),
    (19, _("Diversity of job types"), _("Clients hold many different kinds of job.")),
    (20, _("Diversity of employers"), _("Jobs with many different employers.")),
    (21, _("Competitive jobs"), _("Jobs open to anyone, at normal pay.")),
    (
        22,
        _("Individualised follow-along supports"),
        _("Support fits the job and the person, employer support included."),
    ),
    (
        23,
        _("Time-unlimited follow-along"),
        _("Contact around the start, weekly early on, then a year or more."),
    ),
    (24, _("Community-based services"), _("About two thirds of scheduled hours out in the community.")),
    (25, _("Assertive engagement and outreach"), _("No closure for missed appointments; outreach visits.")),
)
