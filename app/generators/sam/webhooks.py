"""Webhook endpoints of the export: one function per external system that sends webhooks.

Each verifies the delivery's signature (HMAC of the raw body with a generated secret kept in
Secrets Manager) and answers 202; then it publishes the events the delivery is (a user-owned
``logic.py`` classifies it; the default matches the payload's ``type``) and, when the design
names a command, hands the payload to that command's live alias asynchronously, with the
correlation id in its ``_metadata``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from app.generators.output import Artifact
from app.generators.sam.functions import LIVE_ALIAS, snake
from app.generators.sam.handlers import USER_OWNED
from app.generators.sam.template_api import api_event
from app.model import ValidDesign
from app.model.base import route_parts
from app.model.elements import ExternalSystem

TIMEOUT_S = 10


@dataclass(frozen=True)
class WebhookPlan:
    """One webhook endpoint and what its function needs."""

    code: str
    element_id: str
    name: str
    folder: str
    method: str
    path: str
    signature: str
    emits: tuple[str, ...]
    command: str | None

    @property
    def logical_id(self) -> str:
        return f"{self.code}WebhookFunction"

    @property
    def secret(self) -> str:
        return f"{self.code}WebhookSecret"


def plan_webhooks(valid: ValidDesign) -> list[WebhookPlan]:
    """Every external system's webhook, in file order."""
    plans = []
    for entry in valid.of_kind("external_systems"):
        system = entry.element
        assert isinstance(system, ExternalSystem)
        if system.webhook is None:
            continue
        code = valid.code(system)
        context = valid.code(entry.context) if entry.context is not None else "Shared"
        method, path = route_parts(system.webhook.route)
        command = valid.target(system, "webhook.command")
        plans.append(
            WebhookPlan(
                code=code,
                element_id=entry.id,
                name=system.name,
                folder=f"src/{snake(context)}/{snake(code)}_webhook",
                method=method,
                path=path,
                signature=system.webhook.signature,
                emits=tuple(
                    dict.fromkeys(
                        valid.code(e.element) for e in valid.targets(system, "webhook.emits")
                    )
                ),
                command=valid.code(command.element) if command is not None else None,
            )
        )
    return plans


def _event(valid: ValidDesign, webhook: WebhookPlan) -> dict[str, Any]:
    """The route, open to the sender (the signature is the authentication)."""
    event = api_event(valid, webhook.method, webhook.path)
    auth: dict[str, Any] = {"Authorizer": "NONE"}
    if valid.design.settings.api.type == "rest":
        auth["ApiKeyRequired"] = False
    event["Properties"]["Auth"] = auth
    return event


def webhook_resources(valid: ValidDesign, hook_tag: str) -> dict[str, Any]:
    """Per webhook: its secret and its function."""
    resources: dict[str, Any] = {}
    for webhook in plan_webhooks(valid):
        policies: list[Any] = []
        variables: dict[str, Any] = {}
        if webhook.signature != "none":
            resources[webhook.secret] = {
                "Type": "AWS::SecretsManager::Secret",
                "Properties": {
                    "Description": f"Signing secret of the {webhook.code} webhook; share it "
                    "with the sender",
                    "GenerateSecretString": {"PasswordLength": 48, "ExcludePunctuation": True},
                },
            }
            policies.append(
                {"AWSSecretsManagerGetSecretValuePolicy": {"SecretArn": {"Ref": webhook.secret}}}
            )
            variables["WEBHOOK_SECRET_ARN"] = {"Ref": webhook.secret}
        if webhook.emits:
            policies.append({"EventBridgePutEventsPolicy": {"EventBusName": {"Ref": "EventBus"}}})
        if webhook.command:
            function = f"{webhook.command}Function"
            policies.append({"LambdaInvokePolicy": {"FunctionName": {"Ref": function}}})
            variables["COMMAND_FUNCTION"] = {"Ref": f"{function}Alias{LIVE_ALIAS}"}
        properties: dict[str, Any] = {
            "CodeUri": webhook.folder + "/",
            "Handler": "app.handler",
            "Description": f"webhook {webhook.code}",
            "Timeout": TIMEOUT_S,
            "AutoPublishAlias": LIVE_ALIAS,
            "DeploymentPreference": {
                "Type": "Canary10Percent10Minutes",
                "Hooks": {"PreTraffic": {"Ref": "PreTrafficHookFunction"}},
            },
            "Policies": policies,
            "Tags": {hook_tag: f"{webhook.code}Webhook"},
            "Events": {"Webhook": _event(valid, webhook)},
        }
        if variables:
            properties["Environment"] = {"Variables": variables}
        resources[webhook.logical_id] = {
            "Type": "AWS::Serverless::Function",
            "Properties": properties,
        }
    return resources


LOGIC = '''"""Which events a delivery of the {code} webhook is: YOURS TO EDIT. Stormdraft never
overwrites this file.

``classify`` receives the verified payload and the events the webhook may emit (their codes)
and returns those to publish. The working default matches the payload's ``type`` (or ``event``
or ``action``) against the codes, ignoring case and punctuation: ``invoice.paid`` is
``StripeInvoicePaid``.
"""

from __future__ import annotations

import re
from typing import Any


def _letters(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def classify(payload: dict[str, Any], emits: list[str]) -> list[str]:
    kinds = [payload[k] for k in ("type", "event", "action") if isinstance(payload.get(k), str)]
    wanted = _letters(kinds[0]) if kinds else ""
    return [code for code in emits if wanted and _letters(code).endswith(wanted)]
'''


def webhook_files(valid: ValidDesign) -> Iterator[Artifact]:
    """Per webhook: ``app.py`` (generated), ``logic.py`` (user-owned), ``requirements.txt``."""
    for webhook in plan_webhooks(valid):
        spec = {
            "code": webhook.code,
            "signature": webhook.signature,
            "emits": list(webhook.emits),
            "command": webhook.command,
        }
        yield Artifact.text(
            f"{webhook.folder}/app.py",
            "python",
            f'"""Webhook endpoint of {webhook.code} (generated by Stormdraft: edit logic.py, not '
            'this file)."""\n\nimport logic\nfrom common.runtime import webhook_handler\n\n'
            f"SPEC = {spec!r}\n\nhandler = webhook_handler(SPEC, logic.classify)\n",
        )
        yield Artifact.text(
            f"{webhook.folder}/requirements.txt",
            "requirements",
            "# shared code and dependencies come from layers/common\n",
        )
        yield Artifact.text(
            f"{webhook.folder}/logic.py", USER_OWNED, LOGIC.format(code=webhook.code)
        )
