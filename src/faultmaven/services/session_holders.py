"""Which service a database account belongs to, from the case's own connection settings.

A MySQL processlist or `pg_stat_activity` grouped by user names the account holding the
sessions (`fin_exp`), not the program; the program's line that configures its pool or
connection URL with that account (`username=fin_exp`, `mysql://fin_exp@...`) names it.
"""

import re
import uuid
from collections.abc import Collection, Mapping

from sqlalchemy import Connection

from faultmaven.domain.evidence import AnalysedLine
from faultmaven.logs.components import component_of
from faultmaven.store import log_groups

TEMPLATES_TO_READ = 20
LINES_PER_TEMPLATE = 3
# What a database server logs about a client's session: the account is its client's there.
_SERVER_ABOUT_CLIENT = re.compile(
    r"authori[sz]|authenticat|aborted connection|access denied|disconnection|connection received",
    re.IGNORECASE,
)
# Account names a POSIX regex can hold literally once dots are escaped.
_ACCOUNT = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{1,62}$")


def account_owners(
    connection: Connection,
    case_id: uuid.UUID,
    names: Mapping[uuid.UUID, str],
    accounts: Collection[str],
) -> dict[str, tuple[str, AnalysedLine]]:
    """Map each database account to the service configured with it and that line.

    An account two services are configured with names neither.
    """
    owners: dict[str, tuple[str, AnalysedLine]] = {}
    for account in accounts:
        if not _ACCOUNT.match(account):
            continue
        literal = account.replace(".", r"\.")
        groups = log_groups.templates_matching(connection, case_id, literal, TEMPLATES_TO_READ)
        lines = log_groups.group_lines(connection, case_id, names, groups, LINES_PER_TEMPLATE)
        configured = [line for line in lines if configures_account(line.text, account)]
        services = {component_of(line.evidence_name, line.text) for line in configured} - {None}
        if len(services) == 1:
            service = services.pop()
            assert service is not None
            first = min(configured, key=lambda line: (line.evidence_name, line.n))
            owners[account] = (service, first)
    return owners


def configures_account(text: str, account: str) -> bool:
    """Tell whether a line sets a database connection's user to `account`."""
    if _SERVER_ABOUT_CLIENT.search(text):
        return False
    name = re.escape(account)
    setting = rf"\b(?:user(?:name)?|db_?user|login)\b\"?\s*[=:]\s*[\"']?{name}(?![\w.-])"
    in_url = rf"://{name}(?::[^@\s]*)?@"
    return bool(re.search(setting, text, re.IGNORECASE) or re.search(in_url, text))
