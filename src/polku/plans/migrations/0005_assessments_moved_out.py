"""The assessment's models moved to the assessments app (its 0001 adds them to Django's state first):
removed from this app's state only, their tables and rows stay. A plan action's recommendation now
names assessments.Recommendation, the same table."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0001_moved_from_plans"),
        ("plans", "0004_review_fixes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name="assessmenthistory",
                    name="assessment",
                ),
                migrations.RemoveField(
                    model_name="assessmentaddendum",
                    name="assessment",
                ),
                migrations.RemoveField(
                    model_name="assessmentmeeting",
                    name="assessment",
                ),
                migrations.RemoveField(
                    model_name="finding",
                    name="assessment",
                ),
                migrations.RemoveField(
                    model_name="assessmentinvitation",
                    name="assessment",
                ),
                migrations.RemoveField(
                    model_name="recommendation",
                    name="assessment",
                ),
                migrations.RemoveField(
                    model_name="assessmentaddendum",
                    name="author",
                ),
                migrations.RemoveField(
                    model_name="assessmentaddendum",
                    name="organisation",
                ),
                migrations.RemoveField(
                    model_name="assessmenthistory",
                    name="by",
                ),
                migrations.RemoveField(
                    model_name="assessmenthistory",
                    name="unit",
                ),
                migrations.RemoveField(
                    model_name="assessmentinvitation",
                    name="invited_by",
                ),
                migrations.RemoveField(
                    model_name="assessmentinvitation",
                    name="member",
                ),
                migrations.RemoveField(
                    model_name="assessmentmeeting",
                    name="recorded_by",
                ),
                migrations.RemoveField(
                    model_name="finding",
                    name="author",
                ),
                migrations.RemoveField(
                    model_name="finding",
                    name="client",
                ),
                migrations.RemoveField(
                    model_name="finding",
                    name="organisation",
                ),
                migrations.RemoveField(
                    model_name="finding",
                    name="placement_feedback",
                ),
                migrations.RemoveField(
                    model_name="finding",
                    name="responses",
                ),
                migrations.RemoveField(
                    model_name="findingfeedback",
                    name="finding",
                ),
                migrations.RemoveField(
                    model_name="findingfeedback",
                    name="feedback",
                ),
                migrations.AlterField(
                    model_name="planaction",
                    name="from_recommendation",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="plan_actions",
                        to="assessments.recommendation",
                        verbose_name="from the recommendation",
                    ),
                ),
                migrations.DeleteModel(
                    name="Assessment",
                ),
                migrations.DeleteModel(
                    name="AssessmentAddendum",
                ),
                migrations.DeleteModel(
                    name="AssessmentHistory",
                ),
                migrations.DeleteModel(
                    name="AssessmentInvitation",
                ),
                migrations.DeleteModel(
                    name="AssessmentMeeting",
                ),
                migrations.DeleteModel(
                    name="Finding",
                ),
                migrations.DeleteModel(
                    name="FindingFeedback",
                ),
                migrations.DeleteModel(
                    name="Recommendation",
                ),
            ],
            database_operations=[],
        ),
    ]
