"""c15: upload-api keeps a file open for every abandoned resumable upload until it hits EMFILE.

upload-api runs in its own process with RLIMIT_NOFILE 256. Whole uploads are written and
closed; resumable uploads keep their spool file open until the last chunk arrives. A new
mobile client starts resumable uploads and never finishes them, so open files pile up until
`OSError: [Errno 24] Too many open files` on whatever needs a descriptor next (downloads,
uploads, even reading source lines for its tracebacks); nginx logs the 500s.
"""

from __future__ import annotations

import multiprocessing
import random
import resource
import time
from io import BufferedWriter
from pathlib import Path

import _support
from _nginx import Nginx
from _service import Handler, WebService

OPEN_FILES_LIMIT = 256


def upload_routes(spool: Path) -> dict[str, Handler]:
    """Whole uploads, resumable uploads (first chunk) and downloads of stored files."""
    resumable: dict[str, BufferedWriter] = {}

    def upload(path: str) -> object:
        upload_id = path.split("/")[3].split("?")[0]
        if path.endswith("?resumable=1"):
            resumable[upload_id] = (spool / f"{upload_id}.part").open("wb")
            resumable[upload_id].write(b"chunk-0" * 512)
            return {"upload": upload_id, "next_chunk": 1}
        with (spool / f"{upload_id}.bin").open("wb") as target:
            target.write(b"data" * 1024)
        return {"upload": upload_id, "stored": True}

    def download(path: str) -> object:
        upload_id = path.rsplit("/", 1)[1]
        stored = spool / f"{upload_id}.bin"
        with stored.open("rb") as source:
            return {"upload": upload_id, "bytes": len(source.read())}

    return {"/api/uploads/": upload, "/api/files/": download}


def serve_upload_api(port: int, log_path: Path, spool: Path) -> None:
    """Process body: the service with its open-files limit, as systemd's LimitNOFILE sets."""
    resource.setrlimit(resource.RLIMIT_NOFILE, (OPEN_FILES_LIMIT, OPEN_FILES_LIMIT))
    logger = _support.service_logger("upload-api", log_path)
    logger.info("upload-api 3.2.0 starting, spool %s", spool)
    WebService("upload-api", port, logger, upload_routes(spool)).start()
    while True:
        time.sleep(3600)


def user_path(chooser: random.Random) -> str:
    """Web users: whole uploads and downloads of files already stored."""
    upload_id = chooser.randint(1, 400)
    if chooser.random() < 0.5:
        return f"POST /api/uploads/{upload_id}"
    return f"/api/files/{chooser.randint(1, 40)}"


def main() -> None:
    out = _support.bundle_dir_from_arguments(__doc__ or "")
    with _support.scratch_dir() as work:
        spool = work / "spool"
        spool.mkdir()
        for upload_id in range(1, 41):
            (spool / f"{upload_id}.bin").write_bytes(b"data" * 1024)
        port = _support.free_port()
        service = multiprocessing.get_context("fork").Process(
            target=serve_upload_api, args=(port, out / "app.log", spool), daemon=True
        )
        service.start()
        time.sleep(0.5)
        nginx = Nginx(
            work,
            out,
            upstream_name="upload_api",
            upstream_port=port,
            location_extra="proxy_read_timeout 5s;",
        ).start()
        users = _support.Traffic(nginx.port, user_path, pause_seconds=0.04).start()
        time.sleep(12)
        mobile = _support.Traffic(
            nginx.port,
            lambda chooser: f"POST /api/uploads/m{chooser.randint(1, 10**9)}?resumable=1",
            clients=1,
            pause_seconds=0.05,
            user_agent="shop-ios/5.0.0",
        )
        _support.run_traffic(mobile, 14)
        print(f"  user statuses: {dict(users.stop())}")
        nginx.stop()
        service.kill()
    _support.close_service_loggers()
    _support.write_expect(
        out,
        question="Uploads and downloads fail intermittently with 500 since the iOS release. "
        "What is wrong?",
        category="file_descriptors",
        component="upload-api",
        statement=(
            "upload-api keeps a file open for every abandoned resumable upload, exhausts its "
            "open-files limit (256) and fails with Errno 24 Too many open files whenever it "
            "needs a new file or socket."
        ),
        proving_lines=[
            _support.proving(out / "app.log", r"resumable=1 -> 200"),
            _support.proving(out / "app.log", r"OSError: \[Errno 24\] Too many open files"),
        ],
        decoys=['" 500 ', "-> 500"],
    )


if __name__ == "__main__":
    main()
