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
