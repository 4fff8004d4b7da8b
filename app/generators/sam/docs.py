"""``docs/`` of the export: data model, cost report, observability and the runbooks."""

from __future__ import annotations

from collections.abc import Iterator

from app.generators.observability import plan_observability
from app.generators.output import Artifact
from app.model import ValidDesign

RUNBOOK_TEXT = {
    "dead-letter-queue": (
        "Dead-letter queue build-up",
        "The DLQ depth alarm fired: messages failed five receives. Read one message, find the "
        "error in the consumer's logs (the ErrorRate query), fix the cause, then redrive with "
        "`aws sqs start-message-move-task --source-arn <dlq-arn>`.",
    ),
    "throttling": (
        "Throttling spikes",
        "The throttles alarm fired. Check account concurrency and the function's reserved "
        "concurrency; raise them or smooth the load with the queue's batch size.",
    ),
    "cold-starts": (
        "Cold-start regressions",
        "The ColdStarts query shows a rise. Check package size and init code; for latency-"
        "sensitive functions check the provisioned concurrency and its auto scaling.",
    ),
    "failed-deployment": (
        "Failed deployments and rollback",
        "CodeDeploy shifts 10% of traffic for 10 minutes and rolls back when an alarm fires. "
        "Read the deployment's events, fix, and deploy again; to roll back by hand, point the "
        "`live` alias at the previous version.",
    ),
}


def doc_files(valid: ValidDesign) -> Iterator[Artifact]:
    plan = plan_observability(valid)
    alarms = "\n".join(f"- `{a.logical_id}`: {a.description}" for a in plan.alarms)
    queries = "\n".join(f"- `{q.name}`:\n\n```\n{q.query}\n```\n" for q in plan.queries)
    yield Artifact.text(
        "docs/observability.md",
        "docs",
        "# Observability\n\n## Alarms\n\n"
        + alarms
        + "\n\n## Dashboards\n\n"
        + "\n".join(f"- {d.context}: traffic, errors, latency, saturation" for d in plan.dashboards)
        + "\n\n## Saved Logs Insights queries\n\n"
        + queries,
    )
    for name in plan.runbooks:
        title, text = RUNBOOK_TEXT[name]
        yield Artifact.text(f"docs/runbooks/{name}.md", "runbook", f"# {title}\n\n{text}\n")
    if valid.of_kind("aggregates"):
        from app.generators.table import plan_table
        from app.generators.table.explain import data_model

        yield Artifact.text("docs/data-model.md", "data-model", data_model(plan_table(valid)))
    from app.generators.cost import cost_files
    from app.generators.cost.report import cost_report
    from app.generators.sam.shared import export_cost

    estimate = export_cost(valid)
    if estimate is not None:
        report = cost_report(estimate, valid.design.name)
        yield Artifact.text("docs/cost-report.md", "cost-report", report)
        return
    for artifact in cost_files(valid):  # the report that says the region has no prices
        if artifact.path.endswith(".md"):
            yield Artifact("docs/cost-report.md", artifact.kind, artifact.content)
