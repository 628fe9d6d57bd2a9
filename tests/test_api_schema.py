"""Schemathesis against the API's own OpenAPI schema: no server error, no undocumented reply."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tracker import workflow
from tracker.wsgi import application

from .factories import TaskFactory

# Two personas call every operation: the office (sees and may do most) and a department's
# staff member (sees little). Hypothesis makes the inputs; the schema judges the replies.
MAX_EXAMPLES = 15


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("who", ["office", "finance_staff"])
def test_every_operation_answers_within_its_schema(people, task, who) -> None:
    TaskFactory(lead_department=people.health)  # a row the staff member must never receive
    workflow.task_accept(task=task, actor=people.finance_staff)
    key = Token.objects.create(user=getattr(people, who)).key
    headers = {"Authorization": f"Token {key}"}
    schema = schemathesis.openapi.from_wsgi("/api/schema/", application, headers=headers)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 12

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def call(case) -> None:
            # A well-formed date the business refuses (year 2635) is a clear 400, not a defect.
            case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])

        call()
