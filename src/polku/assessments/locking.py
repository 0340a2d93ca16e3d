"""A concluded assessment never changes (nor do its invitations, findings, meetings and the text of its
recommendations), and an addendum never changes once written: the error they refuse with, and the
querysets that refuse bulk changes as the rows refuse save() and delete() (models.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:  # models.py imports this module
    from polku.assessments.models import Assessment, AssessmentAddendum


class AssessmentLocked(ValidationError):
    """A concluded assessment and everything in it are read-only; a correction is an addendum."""

    def __init__(self) -> None:
        super().__init__(
            _("The assessment is concluded and cannot change. Write an addendum instead."), code="locked"
        )


def check_open(assessment_id: int) -> None:
    """Refuse when the assessment is concluded."""
    assessment = apps.get_model("assessments", "Assessment")
    if assessment._default_manager.filter(pk=assessment_id, concluded_at__isnull=False).exists():
        raise AssessmentLocked()


class AssessmentQuerySet(models.QuerySet["Assessment"]):
    """A concluded assessment refuses bulk changes too, as its row refuses save()."""

    def refuse_if_concluded(self) -> None:
        if self.filter(concluded_at__isnull=False).exists():
            raise AssessmentLocked()

    def update(self, **kwargs: Any) -> int:
        self.refuse_if_concluded()
        return super().update(**kwargs)

    def delete(self) -> Any:
        self.refuse_if_concluded()
        return super().delete()

    def bulk_update(self, objs: Any, *args: Any, **kwargs: Any) -> int:
        objs = list(objs)
        type(self)(model=self.model).filter(pk__in=[obj.pk for obj in objs]).refuse_if_concluded()
        return super().bulk_update(objs, *args, **kwargs)


_Part = TypeVar("_Part", bound=models.Model)


class PartQuerySet(models.QuerySet[_Part]):
    """The rows of a concluded assessment refuse bulk changes too. `locked_fields`: the fields that
    never change once it is concluded (None: every field)."""

    locked_fields: frozenset[str] | None = None

    def _locks(self, fields: Any) -> bool:
        if self.locked_fields is None:
            return True
        names = set(fields)
        return bool(names & self.locked_fields) or bool(
            {name.removesuffix("_id") for name in names} & self.locked_fields
        )

    def refuse_if_concluded(self) -> None:
        if self.filter(assessment__concluded_at__isnull=False).exists():
            raise AssessmentLocked()

    def _refuse_objs(self, objs: Any) -> list[Any]:
        objs = list(objs)
        for assessment_id in {obj.assessment_id for obj in objs}:
            check_open(assessment_id)
        return objs

    def update(self, **kwargs: Any) -> int:
        if self._locks(kwargs):
            self.refuse_if_concluded()
        return super().update(**kwargs)

    def delete(self) -> Any:
        self.refuse_if_concluded()
        return super().delete()

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[_Part]:
        return super().bulk_create(self._refuse_objs(objs), *args, **kwargs)

    def bulk_update(self, objs: Any, fields: Any, *args: Any, **kwargs: Any) -> int:
        objs = list(objs)
        if self._locks(fields):
            self._refuse_objs(objs)
            type(self)(model=self.model).filter(pk__in=[obj.pk for obj in objs]).refuse_if_concluded()
        return super().bulk_update(objs, fields, *args, **kwargs)


class AddendumQuerySet(models.QuerySet["AssessmentAddendum"]):
    """An addendum never changes: written once, never updated or deleted."""

    def update(self, **kwargs: Any) -> int:
        raise ValidationError(_("An addendum never changes; write another one."))

    def delete(self) -> Any:
        raise ValidationError(_("An addendum never changes; write another one."))

    def bulk_update(self, objs: Any, *args: Any, **kwargs: Any) -> int:
        raise ValidationError(_("An addendum never changes; write another one."))
