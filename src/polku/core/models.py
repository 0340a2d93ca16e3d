"""Fields every domain record shares."""

import uuid

from django.db import models


class PublicRecord(models.Model):
    """A record with a random public id for URLs and the audit log (ARCHITECTURE.md rule 3: database
    keys and identity codes never appear in URLs), and when it was created and last changed."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

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
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.object_type} {self.object_id}"
