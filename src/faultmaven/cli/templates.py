"""`faultmaven templates`: the template of every line of a log, or a table of templates."""

import json
from pathlib import Path

from rich.table import Table
from rich.text import Text

from faultmaven.cli.runtime import console
from faultmaven.services.templates import template_file

TABLE_ROWS = 200


def templates(path: Path, *, log_format: str | None, per_line: bool, jsonl: bool) -> None:
    """Print one JSON object per input line (`jsonl`) or the templates with their counts."""
    lines, counts = template_file(path, log_format=log_format, per_line=per_line)
    if jsonl:
        write = console.file.write
        for item in lines:
            record = {
                "line": item.line,
                "template": item.template,
                "group": item.group,
                "time": item.time.isoformat().replace("+00:00", "Z") if item.time else None,
                "level": item.level.value if item.level else None,
            }
            write(json.dumps(record, ensure_ascii=False) + "\n")
        return
    for _ in lines:
        pass
    table = Table(title=f"{len(counts)} templates in {path.name}", header_style="bold")
    table.add_column("count", justify="right")
    table.add_column("group")
    table.add_column("template")
    for count in counts[:TABLE_ROWS]:
        table.add_row(str(count.count), count.group, Text(count.template))
    console.print(table)
    if len(counts) > TABLE_ROWS:
        console.print(f"[dim]... and {len(counts) - TABLE_ROWS} more (use --jsonl for all)[/dim]")
