"""Playbooks as next steps: which bundled playbooks fit a hypothesis, and their commands filled.

A playbook's Diagnosis commands carry placeholders (`{namespace}`, `{pod}`, `{service}`,
`{host}`, `{table}`) that the evidence fills. A command is offered only when every
placeholder has a value: a command with a literal `{pod}` would fail, or worse, run against
the wrong object when someone replaces it in a hurry. When no command of a matched playbook
can be filled, one step without a command says which names to find first.
"""

import re
from collections.abc import Mapping, Sequence
from functools import cache

from faultmaven.domain.diagnosis import NextStep
from faultmaven.domain.knowledge import Playbook
from faultmaven.knowledge.playbooks import (
    bundled_playbooks,
    commented_commands,
    playbooks_matching,
)

PLACEHOLDERS = ("namespace", "pod", "service", "host", "table")
"""The names a playbook command may leave to the evidence."""

_DESCRIBED = {
    "namespace": "Kubernetes namespace",
    "pod": "pod name",
    "service": "service name",
    "host": "host name",
    "table": "table name",
}
# `{name}` but not the shell's `${name}`.
_PLACEHOLDER = re.compile(r"(?<!\$)\{([a-z_]+)\}")
# Only plain names go into a command someone may paste into a shell.
_SAFE_VALUE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]*")


@cache
def _bundled_by_id() -> dict[str, Playbook]:
    """Every bundled playbook by id, read once per process."""
    return {playbook.id: playbook for playbook in bundled_playbooks()}


def bundled_playbook(playbook_id: str) -> Playbook | None:
    """Return the bundled playbook with this id, or None."""
    return _bundled_by_id().get(playbook_id)


def playbooks_for(
    cited_texts: Sequence[str], kubernetes_reason: str | None = None
) -> list[Playbook]:
    """Return the bundled playbooks whose signatures match a hypothesis, best first.

    A playbook naming the Kubernetes reason (`OOMKilled`) comes first: the cluster stated
    it. Then the playbooks whose line signatures match the cited lines, most hits first.
    """
    ids: list[str] = []
    if kubernetes_reason:
        ids += [
            playbook.id
            for playbook in _bundled_by_id().values()
            if any(s.kubernetes_reason == kubernetes_reason for s in playbook.signatures)
        ]
    if cited_texts:
        ids += playbooks_matching("\n".join(cited_texts))
    found = [bundled_playbook(playbook_id) for playbook_id in dict.fromkeys(ids)]
    return [playbook for playbook in found if playbook is not None]


def missing_values(command: str, values: Mapping[str, str]) -> list[str]:
    """Return the placeholders of a command that `values` cannot fill, in order."""
    names = (match.group(1) for match in _PLACEHOLDER.finditer(command))
    return [name for name in dict.fromkeys(names) if not _usable(values.get(name))]


def _usable(value: str | None) -> bool:
    return value is not None and _SAFE_VALUE.fullmatch(value) is not None


def fill_command(command: str, values: Mapping[str, str]) -> str | None:
    """Fill a command's placeholders from `values`; None when any stays unknown.

    A value that is not a plain name (letters, digits, `.`, `_`, `:`, `-`) counts as
    unknown, so nothing read from evidence can smuggle shell syntax into a command.
    """
    if missing_values(command, values):
        return None
    return _PLACEHOLDER.sub(lambda match: values[match.group(1)], command)


def playbook_steps(
    playbook: Playbook, values: Mapping[str, str], hypothesis_id: str | None, limit: int = 3
) -> list[NextStep]:
    """Up to `limit` of the playbook's Diagnosis commands that the values fill, as next steps.

    The action is the comment line above the command in the playbook. When no command can
    be filled, one step without a command names what to find out to run them.
    """
    why = f"From the playbook '{playbook.title}'"
    steps: list[NextStep] = []
    pairs = commented_commands(playbook.diagnosis)
    for comment, command in pairs:
        filled = fill_command(command, values)
        if filled is not None and len(steps) < limit:
            action = comment or f"Run this check from the playbook '{playbook.title}'"
            steps.append(
                NextStep(action=action, why=why, command=filled, hypothesis_id=hypothesis_id)
            )
    if steps or not pairs or limit < 1:
        return steps
    needed = min((missing_values(command, values) for _, command in pairs), key=len)
    wanted = " and ".join(_DESCRIBED.get(name, name) for name in needed)
    return [
        NextStep(
            action=f"Find the {wanted} to run the checks of the playbook '{playbook.title}'",
            why=f"{why}; its commands need the {wanted}, which the evidence does not name",
            command=None,
            hypothesis_id=hypothesis_id,
        )
    ]
