# ruff: noqa: E501
# Hand-written audit records, log lines and pasted shell output are data, kept whole on one line.
"""Single host, SELinux: on RHEL 9 host cms-web-2 the admin moved Drupal's public files to a new
volume, /srv/cms-files, at about 08:31 UTC and, following an old runbook written for a static
site, labelled it `httpd_sys_content_t` (read-only for the web server) with semanage fcontext and
restorecon. Unix permissions are right (apache:apache, 775), so reads work, but every write by
php-fpm (domain httpd_t) is denied by SELinux: `avc: denied { write } ... tcontext=...
httpd_sys_content_t ... comm="php-fpm"`. Editors' uploads and image-style derivatives fail
(Apache's AH01071 `mkdir(): Permission denied` messages, 500s). Decoys: `ls -l` looking
correct, an unrelated recurring AVC denial for node_exporter, php-fpm's "seems busy" warning
and a failed dnf-automatic metadata download."""

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bundle import Bundle, LogFile, Proof
from records import NginxAccess, Record, Syslog3164
from scenes import at, fixed, loud
from traffic import host_traffic, http_access, traffic

START = datetime(2025, 12, 2, 8, 0, tzinfo=UTC)
MOVE = datetime(2025, 12, 2, 8, 31, 0, tzinfo=UTC)
FIRST = datetime(2025, 12, 2, 8, 42, 17, 208000, tzinfo=UTC)
END = datetime(2025, 12, 2, 10, 5, tzinfo=UTC)
HOST = "cms-web-2"


@dataclass
class AuditLog:
    """/var/log/audit/audit.log: `type=X msg=audit(epoch.millis:serial): ...`, serials in order."""

    serial: list[int] = field(default_factory=lambda: [88120])

    def render(self, record: Record) -> list[str]:
        self.serial[0] += 1
        stamp = (
            f"{int(record.time.timestamp())}.{record.time.microsecond // 1000:03d}:{self.serial[0]}"
        )
        kind, body = record.message.split(" ", 1)
        lines = [f"type={kind} msg=audit({stamp}): {body}"]
        lines += [line.replace("@STAMP@", stamp) for line in record.trailer]
        return lines


@dataclass
class FpmLog:
    """php-fpm's error_log: `[02-Dec-2025 08:03:08] WARNING: [pool www] ...`."""

    def render(self, record: Record) -> list[str]:
        level = {"INFO": "NOTICE", "WARN": "WARNING"}.get(record.level, record.level)
        return [f"[{record.time.strftime('%d-%b-%Y %H:%M:%S')}] {level}: {record.message}"]


@dataclass
class ApacheError:
    """httpd 2.4 error_log: `[Tue Dec 02 08:42:17.208311 2025] [module:level] [pid N:tid M] message`."""

    rng: random.Random = field(default_factory=lambda: random.Random(0))

    def render(self, record: Record) -> list[str]:
        stamp = (
            record.time.strftime("%a %b %d %H:%M:%S.")
            + f"{record.time.microsecond:06d}"
            + record.time.strftime(" %Y")
        )
        module = record.logger or "proxy_fcgi:error"
        pid = self.rng.randrange(2200, 2240)
        return [
            f"[{stamp}] [{module}] [pid {pid}:tid {pid + self.rng.randrange(1, 60)}] {record.message}"
        ]


def cron_session(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    pid = rng.randrange(40000, 60000)
    kind = rng.choice(["USER_ACCT", "CRED_ACQ", "USER_START", "CRED_DISP", "USER_END"])
    op = {
        "USER_ACCT": "PAM:accounting grantors=pam_access,pam_unix,pam_localuser",
        "CRED_ACQ": "PAM:setcred grantors=pam_env,pam_unix",
        "USER_START": "PAM:session_open grantors=pam_loginuid,pam_keyinit,pam_limits,pam_systemd,pam_unix",
        "CRED_DISP": "PAM:setcred grantors=pam_env,pam_unix",
        "USER_END": "PAM:session_close grantors=pam_loginuid,pam_keyinit,pam_limits,pam_systemd,pam_unix",
    }[kind]
    return (
        "INFO",
        f'{kind} pid={pid} uid=0 auid=0 ses={rng.randrange(100, 900)} subj=system_u:system_r:crond_t:s0-s0:c0.c1023 msg=\'op={op} acct="root" exe="/usr/sbin/crond" hostname=? addr=? terminal=cron res=success\'UID="root" AUID="root"',
        (),
    )


def exporter_denial(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    return (
        "INFO",
        f'AVC avc:  denied  {{ read }} for  pid=1022 comm="node_exporter" name="hwmon{rng.randrange(0, 3)}" dev="sysfs" ino={rng.randrange(20000, 40000)} scontext=system_u:system_r:unconfined_service_t:s0 tcontext=system_u:object_r:sysfs_t:s0 tclass=lnk_file permissive=0',
        (),
    )


def php_denial(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    pid = rng.randrange(2241, 2260)
    syscall = rng.choice([83, 257])
    name, tclass, perm = rng.choice(
        [
            ("2025-12", "dir", "add_name"),
            ("large", "dir", "write"),
            ("thumbnail", "dir", "write"),
            ("medium", "dir", "add_name"),
            ("2025-12", "dir", "write"),
        ]
    )
    return (
        "INFO",
        f'AVC avc:  denied  {{ {perm} }} for  pid={pid} comm="php-fpm" name="{name}" dev="dm-3" ino={rng.randrange(1300000, 1320000)} scontext=system_u:system_r:httpd_t:s0 tcontext=unconfined_u:object_r:httpd_sys_content_t:s0 tclass={tclass} permissive=0',
        (
            f'type=SYSCALL msg=audit(@STAMP@): arch=c000003e syscall={syscall} success=no exit=-13 a0=ffffff9c a1={rng.getrandbits(44):x} a2=1ff a3=0 items=0 ppid=2210 pid={pid} auid=4294967295 uid=48 gid=48 euid=48 suid=48 fsuid=48 egid=48 sgid=48 fsgid=48 tty=(none) ses=4294967295 comm="php-fpm" exe="/usr/sbin/php-fpm" subj=system_u:system_r:httpd_t:s0 key=(null)ARCH=x86_64 SYSCALL={"mkdir" if syscall == 83 else "openat"} AUID="unset" UID="apache" GID="apache" EUID="apache" SUID="apache" FSUID="apache" EGID="apache" SGID="apache" FSGID="apache"',
        ),
    )


def bundle() -> Bundle:
    rng = random.Random(1183)
    total = (END - START).total_seconds() / 60
    first = (FIRST - START).total_seconds() / 60

    audit = LogFile("audit.log", AuditLog())
    audit.add(traffic(rng, cron_session, START, total, 900))
    audit.add(traffic(rng, exporter_denial, START, total, 70))
    commands = [
        (30.2, 51120, "/usr/bin/rsync -aHAX /var/www/cms/web/sites/default/files/ /srv/cms-files/"),
        (31.6, 51388, "/usr/sbin/semanage fcontext -a -t httpd_sys_content_t /srv/cms-files(/.*)?"),
        (31.9, 51402, "/usr/sbin/restorecon -R /srv/cms-files"),
        (32.4, 51460, "/usr/bin/ln -sfn /srv/cms-files /var/www/cms/web/sites/default/files"),
    ]
    syslog = LogFile("cms-web-2-syslog.log", Syslog3164(HOST, "sshd", 0))
    syslog.add(host_traffic(rng, START, total, 700))
    for minute, pid, command in commands:
        syslog.add(
            [
                at(
                    START,
                    minute,
                    "INFO",
                    f"okovacs : TTY=pts/0 ; PWD=/home/okovacs ; USER=root ; COMMAND={command}",
                    logger=f"sudo[{pid}]",
                )
            ]
        )
        audit.add(
            [
                at(
                    START,
                    minute,
                    "INFO",
                    f'USER_CMD pid={pid} uid=1001 auid=1001 ses=812 subj=unconfined_u:unconfined_r:unconfined_t:s0-s0:c0.c1023 msg=\'cwd="/home/okovacs" cmd={command.split("/", 3)[-1].encode().hex().upper()} exe="/usr/bin/sudo" terminal=pts/0 res=success\'UID="okovacs" AUID="okovacs"',
                )
            ]
        )
    first_pid = 2247
    audit.add(
        [
            Record(
                FIRST,
                "INFO",
                f'AVC avc:  denied  {{ write }} for  pid={first_pid} comm="php-fpm" name="2025-12" dev="dm-3" ino=1310742 scontext=system_u:system_r:httpd_t:s0 tcontext=unconfined_u:object_r:httpd_sys_content_t:s0 tclass=dir permissive=0',
                (
                    f'type=SYSCALL msg=audit(@STAMP@): arch=c000003e syscall=83 success=no exit=-13 a0=ffffff9c a1=7ffd3a81c2e0 a2=1ff a3=0 items=0 ppid=2210 pid={first_pid} auid=4294967295 uid=48 gid=48 euid=48 suid=48 fsuid=48 egid=48 sgid=48 fsgid=48 tty=(none) ses=4294967295 comm="php-fpm" exe="/usr/sbin/php-fpm" subj=system_u:system_r:httpd_t:s0 key=(null)ARCH=x86_64 SYSCALL=mkdir AUID="unset" UID="apache" GID="apache" EUID="apache" SUID="apache" FSUID="apache" EGID="apache" SGID="apache" FSGID="apache"',
                ),
            )
        ]
    )
    audit.add(loud(rng, START, first + 0.05, total - first - 0.5, 260, php_denial))

    error = LogFile("httpd-error_log", ApacheError(rng=rng))
    denied = traffic(
        rng,
        fixed(
            "WARN",
            lambda r: (
                f"[client 10.40.{r.randrange(256)}.{r.randrange(1, 255)}:{r.randrange(30000, 65000)}] AH01630: client denied by server configuration: /var/www/cms/web/{r.choice(['.env', 'composer.json', 'core/install.php', '.git/config'])}"
            ),
        ),
        START,
        total,
        140,
    )
    error.add([Record(r.time, r.level, r.message, (), "authz_core:error") for r in denied])
    error.add(
        loud(
            rng,
            START,
            first + 0.01,
            total - first - 0.5,
            330,
            fixed(
                "ERROR",
                lambda r: (
                    f"[client 10.40.{r.randrange(256)}.{r.randrange(1, 255)}:{r.randrange(30000, 65000)}] AH01071: Got error 'PHP message: PHP Warning:  mkdir(): Permission denied in /var/www/cms/web/core/lib/Drupal/Core/File/FileSystem.php on line 524', referer: https://cms.stadtwerke-lahn.de/{r.choice(['node/add/article', 'node/' + str(r.randrange(3000, 9000)) + '/edit', 'media/add/image'])}"
                ),
            ),
        )
    )
    error.add(
        loud(
            rng,
            START,
            first + 0.2,
            total - first - 0.6,
            210,
            fixed(
                "ERROR",
                lambda r: (
                    f"[client 10.40.{r.randrange(256)}.{r.randrange(1, 255)}:{r.randrange(30000, 65000)}] AH01071: Got error 'PHP message: Drupal\\Core\\File\\Exception\\DirectoryNotReadyException: The specified file 'temporary://{r.choice(['upload', 'img'])}{r.getrandbits(24):06x}' could not be copied because the destination directory 'public://2025-12' is not properly configured. This may be caused by a problem with file or directory permissions.', referer: https://cms.stadtwerke-lahn.de/media/add/image"
                ),
            ),
        )
    )
    fpm = LogFile("php-fpm-error.log", FpmLog())
    fpm.add(
        traffic(
            rng,
            fixed(
                "WARN",
                lambda r: (
                    f"[pool www] seems busy (you may need to increase pm.start_servers, or pm.min/max_spare_servers), spawning 8 children, there are 0 idle, and {r.randrange(12, 17)} total children"
                ),
            ),
            START,
            total,
            9,
        )
    )
    fpm.add(
        traffic(
            rng,
            fixed(
                "INFO",
                lambda r: (
                    f"[pool www] child {r.randrange(2241, 2290)} exited with code 0 after {r.uniform(3590, 3620):.6f} seconds from start"
                ),
            ),
            START,
            total,
            40,
        )
    )
    fpm.add(
        traffic(
            rng,
            fixed("INFO", lambda r: f"[pool www] child {r.randrange(2290, 2400)} started"),
            START,
            total,
            40,
        )
    )

    access = LogFile("httpd-access_log", NginxAccess(rng=rng))
    access.add(
        traffic(
            rng,
            http_access(
                [
                    "/",
                    "/aktuelles",
                    "/node/{id}",
                    "/sites/default/files/styles/large/public/2025-11/{id}.jpg",
                    "/sites/default/files/2025-11/{id}.pdf",
                    "/core/misc/drupal.js",
                ],
                upstream_ms=120,
            ),
            START,
            total,
            5200,
        )
    )
    access.add(
        loud(
            rng,
            START,
            first + 0.02,
            total - first - 0.5,
            480,
            fixed(
                "ERROR",
                lambda r: (
                    f'"{r.choice(["POST /node/add/article", "POST /media/add/image", "GET /sites/default/files/styles/thumbnail/public/2025-12/" + str(r.randrange(10**5)) + ".jpg?itok=" + format(r.getrandbits(32), "08x")])} HTTP/1.1" 500 {r.randrange(1200, 9000)} "-" "Mozilla/5.0 (Windows NT 10.0; Win64; x64)" {r.uniform(0.2, 1.4):.3f}'
                ),
            ),
        )
    )

    notes = "\n".join(
        [
            "cms-web-2 - editors can't upload images since this morning (ticket from Presse team 08:50)",
            "",
            "Olga moved the public files to the new 200G volume this morning (~08:30), files dir is now a symlink.",
            "",
            "$ ls -ld /var/www/cms/web/sites/default/files /srv/cms-files /srv/cms-files/2025-12",
            "lrwxrwxrwx.  1 root   root     14 Dec  2 08:32 /var/www/cms/web/sites/default/files -> /srv/cms-files",
            "drwxrwxr-x. 14 apache apache 4096 Dec  2 08:30 /srv/cms-files",
            "drwxrwxr-x.  2 apache apache    6 Dec  2 08:30 /srv/cms-files/2025-12",
            "",
            "$ ls -ldZ /srv/cms-files /var/www/cms/web/sites/default/files.old",
            "drwxrwxr-x. 14 apache apache unconfined_u:object_r:httpd_sys_content_t:s0 4096 Dec  2 08:30 /srv/cms-files",
            "drwxrwxr-x. 14 apache apache system_u:object_r:httpd_sys_rw_content_t:s0 4096 Nov 28 16:02 /var/www/cms/web/sites/default/files.old",
            "",
            "$ df -h /srv/cms-files",
            "Filesystem                 Size  Used Avail Use% Mounted on",
            "/dev/mapper/vgdata-cmsfiles  200G  6.1G  194G   4% /srv/cms-files",
            "",
            "$ getenforce",
            "Enforcing",
            "",
            "$ journalctl -u dnf-automatic --since today | tail -2",
            "Dec 02 06:12:44 cms-web-2 dnf-automatic[50211]: Error: Failed to download metadata for repo 'epel': Cannot download repomd.xml: Curl error (28): Timeout was reached",
            "Dec 02 06:12:44 cms-web-2 systemd[1]: dnf-automatic.service: Main process exited, code=exited, status=1/FAILURE",
            "",
        ]
    )
    files = {
        "notes.md": notes,
        "audit.log": audit.render(),
        "httpd-error_log": error.render(),
        "httpd-access_log": access.render(),
        "php-fpm-error.log": fpm.render(),
        "cms-web-2-syslog.log": syslog.render(),
    }
    return Bundle(
        question="Since about 08:40 UTC editors on cms-web-2 cannot upload images (500 errors, 'mkdir(): Permission denied'), but the directory is owned by apache and writable. What is wrong?",
        category="permission",
        component="cms-web-2",
        statement="At about 08:31 UTC the public files on cms-web-2 were moved to /srv/cms-files and labelled httpd_sys_content_t (semanage fcontext + restorecon), a read-only type for the web server; from 08:42:17 SELinux denies every write by php-fpm (httpd_t) there, so uploads and image derivatives fail despite correct Unix permissions.",
        files=files,
        proofs=[
            Proof(
                "audit.log",
                'denied  { write } for  pid=2247 comm="php-fpm" name="2025-12" dev="dm-3" ino=1310742',
            ),
            Proof(
                "cms-web-2-syslog.log",
                "COMMAND=/usr/sbin/semanage fcontext -a -t httpd_sys_content_t /srv/cms-files",
            ),
            Proof("notes.md", "apache apache unconfined_u:object_r:httpd_sys_content_t:s0"),
        ],
        decoys=[
            'comm="node_exporter"',
            "seems busy (you may need to increase pm.start_servers",
            "Failed to download metadata for repo 'epel'",
        ],
    )
