"""Output serializers of the API. Reads only: every write goes through tracker/steps.py."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Department, User

from .. import timeliness
from ..models import Attachment, Directive, Event, ExtensionRequest, ProgressReport, Task
from ..permissions import allowed_steps


class DepartmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ("id", "name", "code", "kind", "parent", "is_active")


class PersonSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name")

    class Meta:
        model = User
        fields = ("id", "username", "name", "position", "department")


class MeSerializer(PersonSerializer):
    roles = serializers.SerializerMethodField()
    sees_every_department = serializers.BooleanField()

    class Meta(PersonSerializer.Meta):
        fields = (*PersonSerializer.Meta.fields, "email", "roles", "sees_every_department")

    def get_roles(self, user: User) -> list[str]:
        return sorted(user.role_names)


class DirectiveRefSerializer(serializers.ModelSerializer):
    label = serializers.CharField(source="__str__")

    class Meta:
        model = Directive
        fields = ("id", "kind", "symbol", "issuer", "issue_date", "label")


class DirectiveSerializer(DirectiveRefSerializer):
    class Meta(DirectiveRefSerializer.Meta):
        fields = (*DirectiveRefSerializer.Meta.fields, "signer", "summary")


class DirectiveDetailSerializer(DirectiveSerializer):
    chain = DirectiveRefSerializer(many=True, read_only=True)
    implemented_by = DirectiveRefSerializer(
        many=True, read_only=True, source="visible_implemented_by"
    )

    class Meta(DirectiveSerializer.Meta):
        fields = (*DirectiveSerializer.Meta.fields, "full_text", "chain", "implemented_by")


class CoordinationSerializer(serializers.Serializer):
    department = DepartmentSerializer()
    part = serializers.CharField()
    progress_percent = serializers.IntegerField()


class TaskSerializer(serializers.ModelSerializer):
    directive = DirectiveRefSerializer()
    lead_department = DepartmentSerializer()
    deadline = serializers.CharField(source="deadline_label")
    timeliness = serializers.ChoiceField(choices=timeliness.Bucket.choices)

    class Meta:
        model = Task
        fields = (
            "id",
            "directive",
            "item_number",
            "content",
            "lead_department",
            "output_kind",
            "output_description",
            "deadline_kind",
            "deadline",
            "due_date",
            "original_due_date",
            "urgency",
            "state",
            "timeliness",
            "progress_percent",
            "submitted_at",
            "completed_at",
            "updated_at",
        )


class TaskDetailSerializer(TaskSerializer):
    quality_requirement = serializers.CharField()
    coordinations = CoordinationSerializer(many=True)
    assignees = PersonSerializer(many=True)
    allowed_actions = serializers.SerializerMethodField()

    class Meta(TaskSerializer.Meta):
        fields = (
            *TaskSerializer.Meta.fields,
            "quality_requirement",
            "coordinations",
            "assignees",
            "allowed_actions",
        )

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_allowed_actions(self, task: Task) -> list[str]:
        return [step.value for step in allowed_steps(self.context["request"].user, task)]


class AttachmentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ("id", "original_name", "content_type", "size", "uploaded_at", "url")

    def get_url(self, attachment: Attachment) -> str:
        return self.context["request"].build_absolute_uri(
            reverse("api:attachment", args=[attachment.token])
        )


class ReportSerializer(serializers.ModelSerializer):
    department = DepartmentSerializer()
    author = PersonSerializer()
    attachments = AttachmentSerializer(many=True)

    class Meta:
        model = ProgressReport
        fields = (
            "id",
            "department",
            "author",
            "percent",
            "results",
            "difficulties",
            "proposals",
            "reported_at",
            "attachments",
        )


class ExtensionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExtensionRequest
        fields = (
            "id",
            "requested_at",
            "due_date_at_request",
            "requested_due_date",
            "reason",
            "status",
            "decided_at",
            "approved_due_date",
            "decision_number",
            "decision_date",
            "decision_note",
        )


class EventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.display_name", default=None)

    class Meta:
        model = Event
        fields = ("id", "at", "kind", "actor", "from_state", "to_state", "changes", "note")


class ErrorSerializer(serializers.Serializer):
    """Errors speak the user's language, as the pages do."""

    detail = serializers.CharField(required=False)
    code = serializers.CharField(required=False)
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), required=False
    )


class TableSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    due_in_period = serializers.IntegerField()
    done_on_time = serializers.IntegerField()
    done_late = serializers.IntegerField()
    done_no_deadline = serializers.IntegerField()
    open_in_time = serializers.IntegerField()
    open_overdue = serializers.IntegerField()
    open_no_deadline = serializers.IntegerField()
    on_time_rate = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    on_time_rate_with_deadline = serializers.DecimalField(
        max_digits=5, decimal_places=1, allow_null=True
    )


class StatisticsRowSerializer(serializers.Serializer):
    id = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()
    table = TableSerializer()


class RankingRowSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    department = DepartmentSerializer()
    head_name = serializers.CharField()
    table = TableSerializer()
    general = serializers.DecimalField(max_digits=6, decimal_places=2)
    quantity = serializers.DecimalField(max_digits=6, decimal_places=2)
    quality = serializers.DecimalField(max_digits=6, decimal_places=2)
    progress = serializers.DecimalField(max_digits=6, decimal_places=2)
    total = serializers.DecimalField(max_digits=6, decimal_places=2)
    grade = serializers.CharField()
    capped = serializers.BooleanField()


def table_data(table: Any) -> dict[str, Any]:
    return {
        **table.as_dict(),
        "on_time_rate": table.on_time_rate,
        "on_time_rate_with_deadline": table.on_time_rate_with_deadline,
    }
