"""Questionnaire definitions as versioned data.

An instrument (PHQ-9, say) has versions; a version holds the items, answer options with their scores,
subscales, score bands and safety alert rules, each text in Finnish, Swedish and English (a JSON
object `{"fi": ..., "sv": ..., "en": ...}`). A published version never changes: the rows refuse to be
saved or deleted once their version is published, and a new version is a new row (a draft copied from
the last one, see `services.new_draft`).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from polku.clients.models import Register
from polku.core import limits

LANGUAGES = ("fi", "sv", "en")

__all__ = [
    "LANGUAGES",
    "SCORED_KINDS",
    "AlertRule",
    "AnswerOption",
    "Band",
    "BandSex",
    "Instrument",
    "InstrumentVersion",
    "Item",
    "ItemKind",
    "PublishedVersionError",
    "Subscale",
    "VersionPart",
    "VersionStatus",
    "translated",
]


def translated(texts: dict[str, str] | None, language: str | None = None) -> str:
    """The text in the current language, else Finnish, else English, else any."""
    texts = texts or {}
    language = (language or get_language() or "fi")[:2]
    for code in (language, "fi", "en", *texts):
        if texts.get(code):
            return texts[code]
    return ""


class PublishedVersionError(ValidationError):
    """A published version and everything in it are read-only; publish a new version instead."""


class Instrument(models.Model):
    """A questionnaire, identified by a short code (`phq9`); its content lives in its versions."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Retired")


class InstrumentVersion(models.Model):
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=16, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    title = models.JSONField(_("title"), default=dict)
    description = models.JSONField(_("description"), default=dict, blank=True)
    licence = limits.text(_("licence"), limits.REFERENCE, blank=True)
    source_note = limits.text(_("source note"), limits.REFERENCE, blank=True)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    # The records answered to this instrument belong to this register of the answering organisation.
    register = models.CharField(_("register"), max_length=16, choices=Register.choices)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # The highest possible total, fixed when the version is published (charts scale to it).
    max_score = models.IntegerField(_("highest possible score"), default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("instrument version")
        verbose_name_plural = _("instrument versions")
        ordering = ["instrument__code", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "number"], name="instrument_version_once"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False), name="version_published_at"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument.code} v{self.number} ({self.get_status_display()})"

    @property
    def is_published(self) -> bool:
        return self.status != VersionStatus.DRAFT

    def title_text(self) -> str:
        return translated(self.title)

    def description_text(self) -> str:
        return translated(self.description)

    def was_published(self) -> bool:
        """Whether the stored row is published (what this object says may be an unsaved change)."""
        if self.pk is None:
            return False
        stored = InstrumentVersion.objects.filter(pk=self.pk).values_list("status", flat=True).first()
        return stored is not None and stored != VersionStatus.DRAFT

    def save(self, *args: Any, **kwargs: Any) -> None:  # noqa: DJ012 - the guard reads better after its helpers
        if self.was_published():
            stored = InstrumentVersion.objects.get(pk=self.pk)
            # The one change a published version allows: retiring it (it is then no longer offered).
            if not (
                self.status == VersionStatus.RETIRED
                and _same_content(stored, self, exclude={"status"})
                and set(kwargs.get("update_fields") or ["status"]) <= {"status"}
            ):
                raise PublishedVersionError(_("A published version cannot be changed; make a new version."))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if self.was_published():
            raise PublishedVersionError(_("A published version cannot be deleted."))
        return super().delete(*args, **kwargs)

    def compute_max_score(self) -> int:
        return sum(item.max_score() for item in self.items.all())


def _same_content(a: models.Model, b: models.Model, *, exclude: set[str]) -> bool:
    return all(
        getattr(a, field.attname) == getattr(b, field.attname)
        for field in a._meta.concrete_fields
        if field.name not in exclude
    )


class VersionPart(models.Model):
    """A row inside a version: saved and deleted only while the version is a draft."""

    class Meta:
        abstract = True

    def _version(self) -> InstrumentVersion:
        raise NotImplementedError

    def _check_draft(self) -> None:
        if self._version().was_published():
            raise PublishedVersionError(_("A published version cannot be changed; make a new version."))

    def save(self, *args: Any, **kwargs: Any) -> None:  # noqa: DJ012 - after the helper it calls
        self._check_draft()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        self._check_draft()
        return super().delete(*args, **kwargs)


class ItemKind(models.TextChoices):
    CHOICE = "choice", _("Single choice")
    SCALE = "scale", _("Scale")
    INTEGER = "integer", _("Integer")
    BOOLEAN = "boolean", _("Yes or no")
    TEXT = "text", _("Free text")


# Scored kinds: a choice scores its option's score, a scale its value. Integers, yes/no and free text are
# recorded but not scored.
SCORED_KINDS = (ItemKind.CHOICE, ItemKind.SCALE)


class Item(VersionPart):
    version = models.ForeignKey(InstrumentVersion, on_delete=models.CASCADE, related_name="items")
    link_id = models.CharField(_("link id"), max_length=32)
    position = models.PositiveIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=16, choices=ItemKind.choices)
    text = models.JSONField(_("text"), default=dict)
    help_text = models.JSONField(_("help text"), default=dict, blank=True)
    required = models.BooleanField(_("required"), default=True)
    min_value = models.IntegerField(_("minimum"), null=True, blank=True)
    max_value = models.IntegerField(_("maximum"), null=True, blank=True)
    # A scale's end labels ("cannot work at all" ... "best work ability").
    lower_label = models.JSONField(_("label of the lowest value"), default=dict, blank=True)
    upper_label = models.JSONField(_("label of the highest value"), default=dict, blank=True)

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        ordering = ["version", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "link_id"], name="item_link_id_once")]

    def __str__(self) -> str:
        return f"{self.link_id}: {translated(self.text)[:60]}"

    def _version(self) -> InstrumentVersion:
        return self.version

    @property
    def is_scored(self) -> bool:
        return self.kind in SCORED_KINDS

    def max_score(self) -> int:
        if self.kind == ItemKind.CHOICE:
            return max((option.score for option in self.options.all()), default=0)
        if self.kind == ItemKind.SCALE:
            return self.max_value or 0
        return 0

    def clean(self) -> None:
        if self.kind in (ItemKind.SCALE, ItemKind.INTEGER):
            if self.kind == ItemKind.SCALE and (self.min_value is None or self.max_value is None):
                raise ValidationError(_("A scale needs its minimum and maximum."))
            if self.min_value is not None and self.max_value is not None and self.min_value > self.max_value:
                raise ValidationError(_("The minimum cannot be above the maximum."))


class AnswerOption(VersionPart):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="options")
    code = models.CharField(_("code"), max_length=32)
    position = models.PositiveIntegerField(_("position"), default=0)
    text = models.JSONField(_("text"), default=dict)
    score = models.IntegerField(_("score"), default=0)

    class Meta:
        verbose_name = _("answer option")
        verbose_name_plural = _("answer options")
        ordering = ["item", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["item", "code"], name="option_code_once")]

    def __str__(self) -> str:
        return f"{self.code} ({self.score}): {translated(self.text)[:40]}"

    def _version(self) -> InstrumentVersion:
        return self.item.version


class Subscale(VersionPart):
    """A sum over some of the items (a domain of the functional capacity self-assessment, say)."""

    version = models.ForeignKey(InstrumentVersion, on_delete=models.CASCADE, related_name="subscales")
    code = models.SlugField(_("code"), max_length=32)
    title = models.JSONField(_("title"), default=dict)
    link_ids = models.JSONField(_("items (link ids)"), default=list)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("subscale")
        verbose_name_plural = _("subscales")
        ordering = ["version", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="subscale_code_once")]

    def __str__(self) -> str:
        return self.code

    def _version(self) -> InstrumentVersion:
        return self.version

    def title_text(self) -> str:
        return translated(self.title)


class BandSex(models.TextChoices):
    ANY = "", _("Anyone")
    FEMALE = "female", _("Women")
    MALE = "male", _("Men")


class Band(VersionPart):
    """A range of total scores with its label and the action it suggests. Bands may depend on the
    client's sex (AUDIT-C's risk thresholds); a band without a sex applies to everyone."""

    version = models.ForeignKey(InstrumentVersion, on_delete=models.CASCADE, related_name="bands")
    code = models.SlugField(_("code"), max_length=32)
    sex = models.CharField(_("applies to"), max_length=8, choices=BandSex.choices, blank=True, default="")
    min_score = models.IntegerField(_("lowest score"))
    max_score = models.IntegerField(_("highest score"))
    label = models.JSONField(_("label"), default=dict)
    action = models.JSONField(_("suggested action"), default=dict, blank=True)

    class Meta:
        verbose_name = _("band")
        verbose_name_plural = _("bands")
        ordering = ["version", "sex", "min_score", "id"]

    def __str__(self) -> str:
        return f"{self.code} {self.min_score}–{self.max_score}{f' ({self.sex})' if self.sex else ''}"

    def _version(self) -> InstrumentVersion:
        return self.version

    def label_text(self) -> str:
        return translated(self.label)

    def action_text(self) -> str:
        return translated(self.action)


class AlertRule(VersionPart):
    """An answer that needs the team's attention at once, whatever the total (PHQ-9 item 9 above 0)."""

    version = models.ForeignKey(InstrumentVersion, on_delete=models.CASCADE, related_name="alert_rules")
    link_id = models.CharField(_("item (link id)"), max_length=32)
    min_score = models.IntegerField(_("alert from score"))
    title = models.JSONField(_("title"), default=dict)
    guidance = models.JSONField(_("guidance"), default=dict)

    class Meta:
        verbose_name = _("alert rule")
        verbose_name_plural = _("alert rules")
        ordering = ["version", "link_id", "id"]

    def __str__(self) -> str:
        return f"{self.link_id} ≥ {self.min_score}"

    def _version(self) -> InstrumentVersion:
        return self.version

    def title_text(self) -> str:
        return translated(self.title)

    def guidance_text(self) -> str:
        return translated(self.guidance)
