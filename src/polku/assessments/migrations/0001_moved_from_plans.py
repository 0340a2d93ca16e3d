"""The assessment's models, moved from the plans app. Their tables stay where plans created them
(`plans_<model>`, `Meta.db_table`), so this migration creates them in Django's state only; plans 0005
removes them from the plans app's state after it. The content types (and with them the permissions
held by groups and users) move to the new label."""

import uuid

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

MODELS = [
    "assessment",
    "assessmentaddendum",
    "assessmenthistory",
    "assessmentinvitation",
    "assessmentmeeting",
    "finding",
    "findingfeedback",
    "recommendation",
]


def _relabel(apps, from_label, to_label):
    """Content types of the moved models from one app label to the other, skipping any model whose
    content type already exists under the new label (created by an earlier post_migrate)."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    taken = set(
        ContentType.objects.filter(app_label=to_label, model__in=MODELS).values_list("model", flat=True)
    )
    ContentType.objects.filter(app_label=from_label, model__in=[m for m in MODELS if m not in taken]).update(
        app_label=to_label
    )


def move_content_types(apps, schema_editor):
    _relabel(apps, "plans", "assessments")


def move_content_types_back(apps, schema_editor):
    _relabel(apps, "assessments", "plans")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("plans", "0004_review_fixes"),
        ("accounts", "0001_initial"),
        ("clients", "0002_municipalities"),
        ("instruments", "0001_initial"),
        ("placements", "0002_plan_goal_and_attendance_history"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Assessment",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("public_id", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("comprehensive", "Comprehensive work ability assessment"),
                                    ("focused", "Focused assessment"),
                                ],
                                max_length=16,
                                verbose_name="kind",
                            ),
                        ),
                        (
                            "question",
                            models.TextField(blank=True, verbose_name="what the assessment should answer"),
                        ),
                        (
                            "started_on",
                            models.DateField(
                                default=django.utils.timezone.localdate, verbose_name="started on"
                            ),
                        ),
                        (
                            "conclusion",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("open_market", "Ready for the open labour market"),
                                    ("open_market_adjusted", "Open labour market with adjustments"),
                                    ("supported_employment", "Supported employment (IPS)"),
                                    ("rehabilitation_first", "Rehabilitation first"),
                                    ("disability_benefit", "Medical assessment for disability benefits"),
                                    ("social_rehabilitation_first", "Social rehabilitation first"),
                                    ("studies", "Studies"),
                                ],
                                max_length=32,
                                verbose_name="conclusion",
                            ),
                        ),
                        ("summary", models.TextField(blank=True, verbose_name="multidisciplinary summary")),
                        (
                            "concluded_on",
                            models.DateField(blank=True, null=True, verbose_name="concluded on"),
                        ),
                        ("concluded_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "case",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="assessments",
                                to="clients.case",
                            ),
                        ),
                        (
                            "client",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="assessments",
                                to="clients.client",
                            ),
                        ),
                        (
                            "concluded_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="accounts.membership",
                            ),
                        ),
                        (
                            "started_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="accounts.membership",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "work ability assessment",
                        "verbose_name_plural": "work ability assessments",
                        "db_table": "plans_assessment",
                        "ordering": ["-started_on", "-id"],
                    },
                ),
                migrations.CreateModel(
                    name="AssessmentAddendum",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("public_id", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        ("text", models.TextField(verbose_name="addendum")),
                        (
                            "register",
                            models.CharField(
                                choices=[
                                    ("social", "Social welfare"),
                                    ("health", "Health care"),
                                    ("employment", "Employment services"),
                                ],
                                max_length=16,
                                verbose_name="register",
                            ),
                        ),
                        (
                            "written_on",
                            models.DateField(default=django.utils.timezone.localdate, verbose_name="date"),
                        ),
                        (
                            "assessment",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="addenda",
                                to="assessments.assessment",
                            ),
                        ),
                        (
                            "author",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="accounts.membership",
                            ),
                        ),
                        (
                            "organisation",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="accounts.organisation",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "plans_assessmentaddendum",
                        "ordering": ["created_at", "id"],
                    },
                ),
                migrations.CreateModel(
                    name="AssessmentHistory",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "event",
                            models.CharField(
                                choices=[("started", "Started"), ("concluded", "Concluded")], max_length=16
                            ),
                        ),
                        ("on", models.DateField()),
                        ("at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("comprehensive", "Comprehensive work ability assessment"),
                                    ("focused", "Focused assessment"),
                                ],
                                max_length=16,
                            ),
                        ),
                        (
                            "conclusion",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("open_market", "Ready for the open labour market"),
                                    ("open_market_adjusted", "Open labour market with adjustments"),
                                    ("supported_employment", "Supported employment (IPS)"),
                                    ("rehabilitation_first", "Rehabilitation first"),
                                    ("disability_benefit", "Medical assessment for disability benefits"),
                                    ("social_rehabilitation_first", "Social rehabilitation first"),
                                    ("studies", "Studies"),
                                ],
                                max_length=32,
                            ),
                        ),
                        (
                            "assessment",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="history",
                                to="assessments.assessment",
                            ),
                        ),
                        (
                            "by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="accounts.membership",
                            ),
                        ),
                        (
                            "unit",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="accounts.unit",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "plans_assessmenthistory",
                        "ordering": ["at", "id"],
                    },
                ),
                migrations.CreateModel(
                    name="AssessmentInvitation",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("public_id", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "domain",
                            models.CharField(
                                choices=[
                                    ("somatic", "Somatic"),
                                    ("psychological", "Psychological"),
                                    ("social", "Social"),
                                    ("vocational", "Vocational and skills"),
                                ],
                                max_length=16,
                                verbose_name="domain",
                            ),
                        ),
                        (
                            "assessment",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="invitations",
                                to="assessments.assessment",
                            ),
                        ),
                        (
                            "invited_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="accounts.membership",
                            ),
                        ),
                        (
                            "member",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="accounts.membership",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "plans_assessmentinvitation",
                        "ordering": ["created_at", "id"],
                    },
                ),
                migrations.CreateModel(
                    name="AssessmentMeeting",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("public_id", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        ("held_on", models.DateField(verbose_name="date")),
                        ("participants", models.TextField(verbose_name="participants")),
                        ("client_view", models.TextField(verbose_name="the client's own view")),
                        ("notes", models.TextField(blank=True, verbose_name="notes of the discussion")),
                        (
                            "assessment",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="meetings",
                                to="assessments.assessment",
                            ),
                        ),
                        (
                            "recorded_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="accounts.membership",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "plans_assessmentmeeting",
                        "ordering": ["held_on", "id"],
                    },
                ),
                migrations.CreateModel(
                    name="Finding",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("public_id", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "domain",
                            models.CharField(
                                choices=[
                                    ("somatic", "Somatic"),
                                    ("psychological", "Psychological"),
                                    ("social", "Social"),
                                    ("vocational", "Vocational and skills"),
                                ],
                                max_length=16,
                                verbose_name="domain",
                            ),
                        ),
                        ("text", models.TextField(verbose_name="findings")),
                        ("icf_codes", models.JSONField(blank=True, default=list, verbose_name="ICF codes")),
                        (
                            "register",
                            models.CharField(
                                choices=[
                                    ("social", "Social welfare"),
                                    ("health", "Health care"),
                                    ("employment", "Employment services"),
                                ],
                                max_length=16,
                                verbose_name="register",
                            ),
                        ),
                        (
                            "assessment",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="findings",
                                to="assessments.assessment",
                            ),
                        ),
                        (
                            "author",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="accounts.membership",
                            ),
                        ),
                        (
                            "client",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="clients.client",
                            ),
                        ),
                        (
                            "organisation",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="accounts.organisation",
                            ),
                        ),
                        (
                            "responses",
                            models.ManyToManyField(
                                blank=True,
                                db_table="plans_finding_responses",
                                related_name="+",
                                to="instruments.response",
                                verbose_name="questionnaire results",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "plans_finding",
                        "ordering": ["domain", "created_at", "id"],
                    },
                ),
                migrations.CreateModel(
                    name="FindingFeedback",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "feedback",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="placements.feedback",
                            ),
                        ),
                        (
                            "finding",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="feedback_links",
                                to="assessments.finding",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "plans_findingfeedback",
                        "ordering": ["id"],
                    },
                ),
                migrations.AddField(
                    model_name="finding",
                    name="placement_feedback",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="+",
                        through="assessments.FindingFeedback",
                        to="placements.feedback",
                        verbose_name="feedback from work placements",
                    ),
                ),
                migrations.CreateModel(
                    name="Recommendation",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("public_id", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        ("order", models.PositiveIntegerField(verbose_name="order")),
                        ("text", models.TextField(verbose_name="recommendation")),
                        (
                            "assessment",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="recommendations",
                                to="assessments.assessment",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "plans_recommendation",
                        "ordering": ["order", "id"],
                    },
                ),
                migrations.AddConstraint(
                    model_name="assessment",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("concluded_at__isnull", True), ("conclusion", "")),
                            models.Q(
                                ("concluded_at__isnull", False),
                                ("concluded_on__isnull", False),
                                models.Q(("conclusion", ""), _negated=True),
                            ),
                            _connector="OR",
                        ),
                        name="assessment_concluded_with_conclusion",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="assessment",
                    constraint=models.UniqueConstraint(
                        condition=models.Q(("concluded_at__isnull", True)),
                        fields=("case",),
                        name="assessment_one_open_per_case",
                    ),
                ),
                migrations.AddIndex(
                    model_name="assessmenthistory",
                    index=models.Index(fields=["event", "on", "unit"], name="assessment_history_count"),
                ),
                migrations.AddConstraint(
                    model_name="assessmentinvitation",
                    constraint=models.UniqueConstraint(
                        fields=("assessment", "member", "domain"), name="invitation_once"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="findingfeedback",
                    constraint=models.UniqueConstraint(
                        fields=("finding", "feedback"), name="finding_feedback_once"
                    ),
                ),
                migrations.AddIndex(
                    model_name="finding",
                    index=models.Index(fields=["assessment", "domain"], name="finding_assessment_domain"),
                ),
                migrations.AddConstraint(
                    model_name="recommendation",
                    constraint=models.UniqueConstraint(
                        fields=("assessment", "order"), name="recommendation_order_unique"
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back, elidable=True),
    ]
