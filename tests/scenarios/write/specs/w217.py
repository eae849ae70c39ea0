# ruff: noqa: E501
# Hand-written log lines and pasted command output are data, kept whole on one line.
"""Single host, clock: the Samba file server files-02 (an AD member) was restored from a VM
snapshot on Monday night to undo a failed package upgrade. The restore brought its clock back
about seven minutes; chronyd is configured without `makestep` and with `maxslewrate 500`, so it only slews ("System clock
wrong by -412.88 seconds, adjustment started") and at 500 ppm it needs over a week. Kerberos
allows five minutes of skew, so from Tuesday morning every SMB session set-up to files-02 fails
with "Clock skew too great" and users see "access denied". Loud: hundreds of gse/spnego logon
failures in log.smbd and helpdesk tickets. Decoys: the domain controller dc-01 rebooted for
Windows updates overnight, a full-scan of the antivirus on files-02, and a stale
`NT_STATUS_CONNECTION_RESET` from a backup client last week."""

import random
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

from bundle import Bundle, LogFile, Proof
from records import Record, Syslog3164
from scenes import at
from traffic import host_traffic, traffic

CEST = timezone(timedelta(hours=2))
START = datetime(2025, 4, 8, 5, 30, tzinfo=UTC)
END = datetime(2025, 4, 8, 8, 5, tzinfo=UTC)
RESTORE = datetime(2025, 4, 7, 21, 48, tzinfo=UTC)
USERS = [
    "akoch",
    "bmeyer",
    "cschulz",
    "dwagner",
    "ebecker",
    "fhoffmann",
    "gschaefer",
    "hkrause",
    "ilange",
    "jwolf",
    "kneumann",
    "lzimmer",
]
SHARES = ["finance", "hr", "projects", "scans", "public"]


@dataclass
class SambaLog:
    """Samba's log.smbd: `[2025/04/08 09:14:02.118442,  1] source:line(function)` then the indented message."""

    def render(self, record: Record) -> list[str]:
        local = record.time.astimezone(CEST)
        stamp = local.strftime("%Y/%m/%d %H:%M:%S.") + f"{local.microsecond:06d}"
        level = {"ERROR": 1, "WARN": 1, "INFO": 2, "DEBUG": 3}[record.level]
        return [f"[{stamp}, {level:2d}] {record.logger}", f"  {record.message}"]


def connect(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    user = rng.choice(USERS)
    host = f"PC-{rng.randrange(100, 400):04d}"
    return (
        "INFO",
        f"{host.lower()} (ipv4:10.20.{rng.randrange(4, 9)}.{rng.randrange(10, 250)}:{rng.randrange(49152, 65535)}) connect to service {rng.choice(SHARES)} initially as user CORP\\{user} (uid={rng.randrange(10001100, 10001400)}, gid=10000513) (pid {rng.randrange(20000, 40000)})",
        (),
    )


def closed(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    return (
        "INFO",
        f"pc-{rng.randrange(100, 400):04d} (ipv4:10.20.{rng.randrange(4, 9)}.{rng.randrange(10, 250)}:{rng.randrange(49152, 65535)}) closed connection to service {rng.choice(SHARES)}",
        (),
    )


def bundle() -> Bundle:
    rng = random.Random(2217)
    total = (END - START).total_seconds() / 60

    smb = LogFile("logs/log.smbd", SambaLog())
    ordinary = []
    before = (RESTORE - timedelta(minutes=20) - (START - timedelta(hours=14))).total_seconds() / 60
    for record in traffic(rng, connect, START - timedelta(hours=14), before, 900):
        ordinary.append(
            Record(
                record.time,
                record.level,
                record.message,
                (),
                "../../source3/smbd/service.c:1100(make_connection_snum)",
            )
        )
    for record in traffic(rng, closed, START - timedelta(hours=14), before, 700):
        ordinary.append(
            Record(
                record.time,
                record.level,
                record.message,
                (),
                "../../source3/smbd/service.c:1162(close_cnum)",
            )
        )
    for record in traffic(rng, connect, RESTORE + timedelta(minutes=4), 8, 3):
        message = re.sub(
            r"CORP\\\w+ \(uid=\d+, gid=10000513\)",
            lambda m: "FILES-02\\admin (uid=1000, gid=1000)",
            record.message,
        )
        ordinary.append(
            Record(
                record.time,
                record.level,
                message,
                (),
                "../../source3/smbd/service.c:1100(make_connection_snum)",
            )
        )
    smb.add(ordinary)
    failures = []
    offsets = [rng.uniform(-60, 37) for _ in range(7)] + [
        rng.uniform(38, total - 1) for _ in range(430)
    ]
    for offset in sorted(offsets):
        when = START + timedelta(minutes=offset)
        failures.append(
            Record(
                when,
                "ERROR",
                "gss_accept_sec_context failed with [ Miscellaneous failure (see text): Clock skew too great]",
                (),
                "../../source3/librpc/crypto/gse.c:639(gse_get_server_auth_token)",
            )
        )
        failures.append(
            Record(
                when + timedelta(microseconds=rng.randrange(80, 400)),
                "ERROR",
                "gensec_spnego_server_negTokenInit_step: gse_krb5: parsing NEG_TOKEN_INIT content failed (next[(null)]): NT_STATUS_LOGON_FAILURE",
                (),
                "../../auth/gensec/spnego.c:1339(gensec_spnego_server_negTokenInit_step)",
            )
        )
    smb.add(failures)
    smb.add(
        [
            Record(
                datetime(2025, 4, 1, 23, 12, 9, 441802, tzinfo=UTC),
                "ERROR",
                "smbd_smb2_request_error_ex: smbd_smb2_request_error_ex: idx[1] status[NT_STATUS_CONNECTION_RESET] || at ../../source3/smbd/smb2_read.c:421",
                (),
                "../../source3/smbd/smb2_server.c:4060(smbd_smb2_request_error_ex)",
            ),
            Record(
                datetime(2025, 4, 1, 23, 12, 9, 442113, tzinfo=UTC),
                "WARN",
                "Deferring reply to backup host bk-veeam-01 (ipv4:10.20.1.30:50441): client went away",
                (),
                "../../source3/smbd/smb2_server.c:3618(smbd_smb2_request_dispatch)",
            ),
        ]
    )

    messages = LogFile("logs/files-02-messages.log", Syslog3164("files-02", "chronyd", 711))
    messages.add(
        host_traffic(
            rng, RESTORE - timedelta(hours=3), (END - RESTORE).total_seconds() / 60 + 180, 1400
        )
    )
    messages.add(
        [
            at(
                RESTORE,
                0.0,
                "INFO",
                "Linux version 5.15.0-136-generic (buildd@lcy02-amd64-041) (gcc (Ubuntu 11.4.0-1ubuntu1~22.04) 11.4.0, GNU ld (GNU Binutils for Ubuntu) 2.38) #147-Ubuntu SMP Sat Mar 15 15:53:30 UTC 2025 (Ubuntu 5.15.0-136.147-generic 5.15.178)",
                logger="kernel",
            ),
            at(RESTORE, 0.3, "INFO", "Started chrony, an NTP client/server.", logger="systemd[1]"),
            at(
                RESTORE,
                0.32,
                "INFO",
                "chronyd version 4.2 starting (+CMDMON +NTP +REFCLOCK +RTC +PRIVDROP +SCFILTER +SIGND +ASYNCDNS +NTS +SECHASH +IPV6 -DEBUG)",
                logger="chronyd[711]",
            ),
            at(RESTORE, 0.33, "INFO", "Loaded seccomp filter (level 1)", logger="chronyd[711]"),
            at(RESTORE, 0.6, "INFO", "Started Samba SMB Daemon.", logger="systemd[1]"),
            at(RESTORE, 0.62, "INFO", "Started Samba Winbind Daemon.", logger="systemd[1]"),
            at(
                RESTORE,
                0.9,
                "INFO",
                "Selected source 10.20.0.10 (dc-01.corp.example.de)",
                logger="chronyd[711]",
            ),
            at(
                RESTORE,
                1.4,
                "WARN",
                "System clock wrong by -412.883261 seconds, adjustment started",
                logger="chronyd[711]",
            ),
            at(RESTORE, 2.1, "INFO", "Started ClamAV virus database updater.", logger="systemd[1]"),
            at(
                RESTORE,
                180.0,
                "WARN",
                "Can't synchronise: no selectable sources",
                logger="chronyd[711]",
            ),
            at(
                RESTORE,
                196.0,
                "INFO",
                "Selected source 10.20.0.11 (dc-02.corp.example.de)",
                logger="chronyd[711]",
            ),
            at(
                RESTORE,
                200.0,
                "INFO",
                "Started clamdscan-full.service - ClamAV weekly full scan of /srv/samba.",
                logger="systemd[1]",
            ),
            at(
                RESTORE,
                214.0,
                "INFO",
                "Selected source 10.20.0.10 (dc-01.corp.example.de)",
                logger="chronyd[711]",
            ),
            at(
                RESTORE,
                330.0,
                "WARN",
                "LibClamAV Warning: cli_scanxz: decompress file size exceeds limits - only scanning 27262976 bytes",
                logger="clamd[1022]",
            ),
            at(
                RESTORE,
                412.0,
                "INFO",
                "clamdscan-full.service: Consumed 2h 51min 12.114s CPU time.",
                logger="systemd[1]",
            ),
        ]
    )

    tracking = "\n".join(
        [
            "root@files-02:~# date -u; chronyc tracking; chronyc sources",
            "Tue Apr  8 07:57:41 UTC 2025",
            "Reference ID    : 0A14000A (dc-01.corp.example.de)",
            "Stratum         : 4",
            "Ref time (UTC)  : Tue Apr 08 07:56:58 2025",
            "System time     : 394.958210043 seconds slow of NTP time",
            "Last offset     : -0.000412117 seconds",
            "RMS offset      : 0.000588912 seconds",
            "Frequency       : 11.482 ppm fast",
            "Residual freq   : -0.004 ppm",
            "Skew            : 0.041 ppm",
            "Root delay      : 0.018114220 seconds",
            "Root dispersion : 0.021883411 seconds",
            "Update interval : 64.3 seconds",
            "Leap status     : Normal",
            "MS Name/IP address         Stratum Poll Reach LastRx Last sample",
            "===============================================================================",
            "^* dc-01.corp.example.de          3   6   377    43   -412us[ -395s] +/-   19ms",
            "^+ dc-02.corp.example.de          3   6   377    41   +288us[ -395s] +/-   22ms",
            "root@files-02:~# grep -E '^(pool|server|makestep|maxslewrate)' /etc/chrony/chrony.conf",
            "server dc-01.corp.example.de iburst",
            "server dc-02.corp.example.de iburst",
            "maxslewrate 500",
            "",
        ]
    )
    dc = "\n".join(
        [
            "PS C:\\> w32tm /query /status    (dc-01, 09:58 local)",
            "Leap Indicator: 0(no warning)",
            "Stratum: 2 (secondary reference - syncd by (S)NTP)",
            "Precision: -23 (119.209ns per tick)",
            "Root Delay: 0.0143021s",
            "Root Dispersion: 0.0361884s",
            "ReferenceId: 0xA29FC801 (source IP:  162.159.200.1)",
            "Last Successful Sync Time: 08.04.2025 09:51:12",
            "Source: time.cloudflare.com,0x8",
            "Poll Interval: 10 (1024s)",
            "",
            "PS C:\\> Get-WinEvent -LogName System -MaxEvents 3 | ? ProviderName -eq 'User32'",
            "TimeCreated           Id LevelDisplayName Message",
            "-----------           -- ---------------- -------",
            "08.04.2025 02:14:07 1074 Information      The process C:\\Windows\\system32\\svchost.exe (DC-01) has initiated the restart of computer DC-01 on behalf of user NT AUTHORITY\\SYSTEM for the following reason: Operating System: Service pack (Planned)",
            "",
        ]
    )
    notes = "\n".join(
        [
            "# Ticket INC-40212 - file shares (handover 10:05)",
            "",
            '- Since about 08:10 this morning people get "Access denied" / asked for credentials on \\\\files-02 (finance, hr, projects). \\\\files-01 works for the same users.',
            "- dc-01 installed Windows updates and rebooted at 02:14 last night. dc-02 untouched.",
            "- files-02 was rolled back to Sunday's VM snapshot yesterday evening (failed samba package upgrade), service came back fine, tested with one share at 23:55 with the local admin account.",
            "- Antivirus full scan ran on files-02 overnight, finished around 03:40.",
            "- Checked: users are not locked out in AD, passwords fine, group memberships unchanged.",
            "",
        ]
    )
    files = {
        "notes.md": notes,
        "logs/log.smbd": smb.render(),
        "logs/files-02-messages.log": messages.render(),
        "files-02-chrony.txt": tracking,
        "dc-01-w32tm.txt": dc,
    }
    return Bundle(
        question="Since about 08:10 this morning users get 'access denied' on the shares of \\\\files-02, while \\\\files-01 works. Accounts look fine. What is the root cause?",
        category="clock",
        component="files-02",
        statement="files-02 was restored from a VM snapshot at 21:48 UTC on Monday and came back with its clock about 413 s behind; chronyd has no makestep and a maxslewrate of 500 ppm, so it only slews it ('System clock wrong by -412.883261 seconds, adjustment started'), so it is still 395 s slow the next morning, beyond Kerberos' five-minute skew, and every SMB logon fails with 'Clock skew too great' from about 08:10 CEST.",
        files=files,
        proofs=[
            Proof("logs/files-02-messages.log", "System clock wrong by -412.883261 seconds"),
            Proof("files-02-chrony.txt", "System time     : 394.958210043 seconds slow"),
        ],
        decoys=[
            "has initiated the restart of computer DC-01",
            "clamdscan-full.service",
            "NT_STATUS_CONNECTION_RESET",
        ],
    )
