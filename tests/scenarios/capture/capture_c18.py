"""c18: a full-history export fills the shared 2 MB spool volume; writes fail with ENOSPC.

reports-api renders each report into the spool (a real tmpfs of 2 MB) before sending it, and
export-worker writes its exports there too. The worker starts a full-history export in large
parts; the volume fills and both fail with `OSError: [Errno 28] No space left on device`.
reports-api's 500s are the loud part; `df -h` of the spool is kept as the on-call ran it.
"""

from __future__ import annotations

import logging
import subprocess
import threading
import time
from pathlib import Path

import _support
from _nginx import Nginx
from _service import Handler, WebService


def report_routes(spool: Path) -> dict[str, Handler]:
    """Render a report to the spool, read it back, remove it."""

    def report(path: str) -> object:
        report_id = path.rsplit("/", 1)[1]
        rendered = spool / f"report-{report_id}.html"
        rendered.write_text("<tr><td>row</td></tr>" * 400)
        size = rendered.stat().st_size
        rendered.unlink()
        return {"report": report_id, "bytes": size}

    return {"/api/reports/": report}


def run_export(spool: Path, logger: logging.Logger, stop: threading.Event) -> None:
    """Full-history export: 64 KB parts until done (it never gets there)."""
    logger.info("export job 5521 started: orders full history (est. 38 MB) -> %s", spool)
    part = 0
    while not stop.is_set():
        part += 1
        try:
            (spool / f"export-5521-part{part:04d}.csv").write_bytes(b"order,total\n" * 5461)
            logger.info("export 5521 part %d written (65532 bytes)", part)
        except OSError:
            logger.exception("export 5521 part %d failed", part)
            time.sleep(1)
        time.sleep(0.1)


def main() -> None:
    out = _support.bundle_dir_from_arguments(__doc__ or "")
    with _support.scratch_dir() as work:
        spool = work / "spool"
        spool.mkdir()
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(spool)], check=True)
        try:
            logger = _support.service_logger("reports-api", out / "app.log")
            api_port = _support.free_port()
            api = WebService("reports-api", api_port, logger, report_routes(spool)).start()
            nginx = Nginx(work, out, upstream_name="reports_api", upstream_port=api_port).start()
            traffic = _support.Traffic(
                nginx.port, lambda r: f"/api/reports/{r.randint(1, 90000)}", pause_seconds=0.03
            ).start()
            time.sleep(12)
            stop = threading.Event()
            export = threading.Thread(
                target=run_export,
                args=(spool, _support.service_logger("export-worker", out / "worker.log"), stop),
            )
            export.start()
            time.sleep(10)
            df = subprocess.run(["df", "-h", str(spool)], capture_output=True, text=True)
            (out / "oncall-shell.txt").write_text(f"$ df -h {spool}\n{df.stdout}")
            print(f"  statuses: {dict(traffic.stop())}")
            stop.set()
            export.join()
            nginx.stop()
            api.stop()
        finally:
            subprocess.run(["umount", str(spool)], check=False)
    _support.close_service_loggers()
    _support.write_expect(
        out,
        question="Report downloads fail with 500 since about 02:10. What happened?",
        category="disk",
        component="export-worker",
        statement=(
            "export-worker's full-history export filled the 2 MB spool volume shared with "
            "reports-api, so writes there fail with Errno 28 No space left on device."
        ),
        proving_lines=[
            _support.proving(out / "worker.log", r"export job 5521 started"),
            _support.proving(out / "worker.log", r"OSError: \[Errno 28\] No space left on device"),
            _support.proving(out / "oncall-shell.txt", r"^tmpfs\s+2\.0M\s+2\.0M\s+0\s+100%"),
        ],
        decoys=['" 500 ', "-> 500"],
    )


if __name__ == "__main__":
    main()
