"""Fields every domain record shares."""

import uuid
from typing import Any

from django.db import models

from polku.core import story_time


class ClockedDateTimeField(models.DateTimeField):
    """`auto_now` / `auto_now_add` read from the one clock (`core.story_time.now`: the real time, or the
    demo story's moment inside `story_time.happened_at`). A row created with the time given (the demo's
    bulk history of past cases, which no service writes) keeps it. Stored and migrated as a plain
    DateTimeField."""

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        if self.auto_now or (self.auto_now_add and add):
            given = getattr(model_instance, self.attname) if add else None
            value = given or story_time.now()
            setattr(model_instance, self.attname, value)
            return value
        return super().pre_save(model_instance, add)

    def deconstruct(self) -> Any:
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DateTimeField", args, kwargs


class PublicRecord(models.Model):
    """A record with a random public id for URLs and the audit log (ARCHITECTURE.md rule 3: database
    keys and identity codes never appear in URLs), and when it was created and last changed."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = ClockedDateTimeField(auto_now_add=True)
    updated_at = ClockedDateTimeField(auto_now=True)

    class Meta:
        abstract = True


class SubmittedForm(models.Model):
    """The idempotency key of a form that created a record, and the record it created (`clients.edits`):
    a second POST of the same form (a double click, a reload after a slow answer) finds this row and
    shows the first result instead of creating a second record. Kept apart from the records so that any
    creating form can use it without a column of its own."""

    key = models.CharField(max_length=64, unique=True)
    object_type = models.CharField(max_length=64)
    object_id = models.BigIntegerField()
    created_at = ClockedDateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.object_type} {self.object_id}"
