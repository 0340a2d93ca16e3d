"""The unit's IPS-25 fidelity reviews and their item ratings."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from polku.accounts.models import Membership, Unit
from polku.core import limits
from polku.core.models import PublicRecord


class FidelityBand(models.TextChoices):
    EXEMPLARY = "exemplary", _("Exemplary fidelity")
    GOOD = "good", _("Good fidelity")
    FAIR = "fair", _("Fair fidelity")
    NOT_SUPPORTED = "not_supported", _("Not supported employment")


def fidelity_band(total: int) -> str:
    """IPS-25 bands: 115-125 exemplary, 100-114 good, 74-99 fair, 73 or less not supported employment."""
    if not 25 <= total <= 125:
        raise ValueError(f"An IPS-25 total is 25-125, not {total}.")
    if total >= 115:
        return FidelityBand.EXEMPLARY
    if total >= 100:
        return FidelityBand.GOOD
    if total >= 74:
        return FidelityBand.FAIR
    return FidelityBand.NOT_SUPPORTED


class FidelityReview(PublicRecord):
    """An IPS-25 fidelity review of a unit's IPS service."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="fidelity_reviews")
    reviewed_on = models.DateField(_("review date"))
    scale_version = models.CharField(_("scale version"), max_length=40, default="IPS-25 (2019)")
    reviewers = models.CharField(_("reviewers"), max_length=limits.LINE)
    created_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-reviewed_on", "-id"]

    @property
    def total(self) -> int:
        return sum(rating.score for rating in self.ratings.all())


class FidelityRating(models.Model):
    review = models.ForeignKey(FidelityReview, on_delete=models.CASCADE, related_name="ratings")
    item = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(25)])
    score = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    evidence = limits.text(_("evidence"), limits.SHORT_NOTE, blank=True)

    class Meta:
        ordering = ["item"]
        constraints = [
            models.UniqueConstraint(fields=["review", "item"], name="fidelity_one_rating_per_item"),
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="fidelity_score_1_5"),
            models.CheckConstraint(condition=Q(item__gte=1, item__lte=25), name="fidelity_item_1_25"),
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.score}"
