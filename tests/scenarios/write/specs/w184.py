# ruff: noqa: E501
# Hand-written kernel lines, build output and pasted shell output are data, kept whole on one line.
"""Hardware: one DIMM of Jenkins agent build-07 (channel 0, slot 0 of memory controller 1) is
failing. Corrected ECC errors appear in its kernel log from Monday evening at a rising rate, then
uncorrectable ones; the kernel's memory-failure handler sends SIGBUS to whatever owned the page
(`Sending SIGBUS to cc1plus:48211 due to hardware memory corruption`) and other processes crash
on silently flipped bits. CI jobs that land on build-07 fail at random with gcc internal compiler
errors, Go `unexpected fault address` and JVM SIGSEGV; retries on other agents pass. Loud: the
compiler crashes in the CI consoles. Decoys: Monday's toolchain image update to gcc 13.3, the
flaky `TestSessionReconnect` that fails on every agent now and then, and build-05's ping-timeout
disconnect."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bundle import Bundle, LogFile, Proof
from records import Record
from scenes import at
from traffic import traffic

START = datetime(2025, 10, 6, 18, 0, tzinfo=UTC)
END = datetime(2025, 10, 8, 11, 30, tzinfo=UTC)
FIRST_UE = datetime(2025, 10, 8, 8, 52, 40, 311000, tzinfo=UTC)
AGENTS = ["build-03", "build-04", "build-05", "build-06", "build-07", "build-08"]


@dataclass
class KernelJournal:
    """`journalctl -k -o short-iso` on build-07."""

    def render(self, record: Record) -> list[str]:
        stamp = record.time.strftime("%Y-%m-%dT%H:%M:%S+00:00")
        return [f"{stamp} build-07 kernel: {record.message}"]


@dataclass
class Console:
    """Jenkins console with the Timestamper plugin: `[2025-10-08T09:14:22.118Z] text`."""

    def render(self, record: Record) -> list[str]:
        stamp = (
            record.time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{record.time.microsecond // 1000:03d}Z"
        )
        return [f"[{stamp}] {line}" for line in (record.message, *record.trailer)]


def kernel_noise(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    veth = f"veth{rng.getrandbits(28):07x}"
    port = rng.randrange(1, 9)
    return rng.choice(
        [
            ("INFO", f"docker0: port {port}({veth}) entered blocking state", ()),
            ("INFO", f"docker0: port {port}({veth}) entered disabled state", ()),
            ("INFO", f"{veth}: entered allmulticast mode", ()),
            ("INFO", f"{veth}: entered promiscuous mode", ()),
            ("INFO", f"eth0: renamed from {veth}", ()),
            ("INFO", f"docker0: port {port}({veth}) entered forwarding state", ()),
            ("INFO", f"{veth} (unregistering): left promiscuous mode", ()),
        ]
    )


def ce_line(rng: random.Random) -> str:
    row = rng.choice([0x3E80, 0x3E81, 0x1A07, 0x3E80])
    column = rng.randrange(0, 0x3FF) & ~0xF
    page = (row << 6) | rng.randrange(64)
    return f"EDAC MC0: 1 CE memory read error on CPU_SrcID#0_MC#1_Chan#0_DIMM#0 (channel:0 slot:0 page:0x{page:x} offset:0x{column:x} grain:32 syndrome:0x0 - err_code:0x0000:0x009f  SystemAddress:0x{page:x}{column:03x} ProcessorSocketId:0x0 MemoryControllerId:0x1 ChannelAddress:0x{rng.getrandbits(28):x} ChannelId:0x0 RankAddress:0x{rng.getrandbits(23):x} PhysicalRankId:0x0 DimmSlotId:0x0 Row:0x{row:x} Column:0x{column:x} Bank:0x{rng.randrange(4):x} BankGroup:0x{rng.randrange(4):x} ChipSelect:0x0 ChipId:0x0)"


def build_output(rng: random.Random) -> tuple[str, str, tuple[str, ...]]:
    roll = rng.random()
    if roll < 0.45:
        module = rng.choice(
            ["core/net", "core/storage", "svc/pricing", "svc/search", "libs/geo", "libs/codec"]
        )
        return (
            "INFO",
            f"[{rng.randrange(1, 4000)}/{rng.randrange(4000, 4200)}] Building CXX object {module}/CMakeFiles/{module.split('/')[1]}.dir/src/{rng.choice(['index', 'buffer', 'router', 'shard', 'parser', 'cache'])}_{rng.randrange(40)}.cpp.o",
            (),
        )
    if roll < 0.7:
        return (
            "INFO",
            f"ok  \tgit.corp.lan/mono/{rng.choice(['auth', 'billing', 'gateway', 'ledger', 'geo'])}/{rng.choice(['internal/store', 'api', 'pkg/retry', 'cmd/server'])}\t{rng.uniform(0.02, 9):.3f}s",
            (),
        )
    if roll < 0.85:
        return (
            "INFO",
            f"[INFO] Tests run: {rng.randrange(4, 300)}, Failures: 0, Errors: 0, Skipped: {rng.randrange(0, 3)}, Time elapsed: {rng.uniform(0.4, 40):.3f} s - in com.corp.{rng.choice(['billing', 'ledger', 'search'])}.{rng.choice(['RouterTest', 'InvoiceMapperTest', 'ShardPlannerTest'])}",
            (),
        )
    if roll < 0.97:
        return (
            "INFO",
            f"Running on {rng.choice(AGENTS)} in /var/lib/jenkins/workspace/mono-ci_PR-{rng.randrange(4000, 4400)}",
            (),
        )
    return (
        "WARN",
        "--- FAIL: TestSessionReconnect (5.01s)",
        (
            "    session_test.go:211: reconnect did not happen within 5s (flaky, tracked in MONO-2231)",
        ),
    )


def bundle() -> Bundle:
    rng = random.Random(1184)
    hours = (END - START).total_seconds() / 3600

    kernel = LogFile("build-07-journal.log", KernelJournal())
    kernel.add(traffic(rng, kernel_noise, START, hours * 60, 1600))
    # Corrected errors: a few on Monday evening, more on Tuesday, many on Wednesday morning.
    for begin, span, count in ((1.5, 12, 6), (14, 20, 28), (34, hours - 34, 120)):
        for record in traffic(
            rng,
            lambda r: ("WARN", ce_line(r), ()),
            START + timedelta(hours=begin),
            span * 60,
            count,
        ):
            kernel.add(
                [
                    record,
                    Record(
                        record.time + timedelta(microseconds=900),
                        "WARN",
                        "mce: [Hardware Error]: Machine check events logged",
                    ),
                ]
            )
    kernel.add(
        [
            Record(
                FIRST_UE,
                "ERROR",
                "mce: Uncorrected hardware memory error in user-access at 3e81c27c0",
            ),
            Record(
                FIRST_UE + timedelta(microseconds=311),
                "ERROR",
                "EDAC MC0: 1 UE memory read error on CPU_SrcID#0_MC#1_Chan#0_DIMM#0 (channel:0 slot:0 page:0x3e81c2 offset:0x7c0 grain:32 - err_code:0x0000:0x009f  SystemAddress:0x3e81c27c0 ProcessorSocketId:0x0 MemoryControllerId:0x1 ChannelAddress:0xfa07040 ChannelId:0x0 RankAddress:0x7d0380 PhysicalRankId:0x0 DimmSlotId:0x0 Row:0x3e80 Column:0x1f0 Bank:0x1 BankGroup:0x2 ChipSelect:0x0 ChipId:0x0)",
            ),
            Record(
                FIRST_UE + timedelta(microseconds=612),
                "ERROR",
                "Memory failure: 0x3e81c2: Sending SIGBUS to cc1plus:48211 due to hardware memory corruption",
            ),
            Record(
                FIRST_UE + timedelta(microseconds=830),
                "ERROR",
                "Memory failure: 0x3e81c2: recovery action for dirty LRU page: Recovered",
            ),
            at(
                START,
                2340.5,
                "ERROR",
                "Memory failure: 0x3e8019: Sending SIGBUS to java:51877 due to hardware memory corruption",
            ),
            at(
                START,
                2340.501,
                "ERROR",
                "Memory failure: 0x3e8019: recovery action for dirty LRU page: Recovered",
            ),
            at(
                START,
                2377.2,
                "INFO",
                "traps: go[60212] general protection fault ip:46b1e0 sp:c0005d7e18 error:0 in go[401000+3a1000]",
            ),
        ]
    )

    console = LogFile("ci-consoles.log", Console())
    console.add(traffic(rng, build_output, START + timedelta(hours=14), (hours - 14) * 60, 4200))
    crashes = [
        (
            2031.2,
            "Running on build-07 in /var/lib/jenkins/workspace/mono-ci_PR-4312",
            (
                "/usr/bin/c++ -O2 -g -std=c++20 -c svc/search/src/shard_14.cpp -o svc/search/CMakeFiles/search.dir/src/shard_14.cpp.o",
                "during GIMPLE pass: vrp",
                "svc/search/src/shard_14.cpp: In member function 'void search::Shard::rebalance()':",
                "svc/search/src/shard_14.cpp:412:1: internal compiler error: Segmentation fault",
                "0x7f3c1a2e651f ???",
                "Please submit a full bug report, with preprocessed source (by using -freport-bug).",
                "Please include the complete backtrace with any bug report.",
                "See <file:///usr/share/doc/gcc-13/README.Bugs> for instructions.",
                "ninja: build stopped: subcommand failed.",
            ),
        ),
        (
            2122.8,
            "Running on build-07 in /var/lib/jenkins/workspace/mono-ci_PR-4318",
            (
                "# git.corp.lan/mono/ledger/internal/store",
                "unexpected fault address 0x7f1e9c3a2000",
                "fatal error: fault",
                "[signal SIGBUS: bus error code=0x2 addr=0x7f1e9c3a2000 pc=0x46b1e0]",
                "goroutine 1 gp=0xc000002380 m=0 mp=0x5e1c40 [running]:",
                "runtime.throw({0x9f3a2e?, 0x0?})",
                "\t/usr/local/go/src/runtime/panic.go:1023 +0x5c fp=0xc0005d7d90 sp=0xc0005d7d60 pc=0x43a8fc",
                "FAIL\tgit.corp.lan/mono/ledger/internal/store [build failed]",
            ),
        ),
        (
            2340.6,
            "Running on build-07 in /var/lib/jenkins/workspace/mono-ci_PR-4320",
            (
                "#",
                "# A fatal error has been detected by the Java Runtime Environment:",
                "#",
                "#  SIGBUS (0x7) at pc=0x00007f8a1c21e4b0, pid=51877, tid=51903",
                "#",
                "# JRE version: OpenJDK Runtime Environment Temurin-21.0.4+7 (21.0.4+7) (build 21.0.4+7-LTS)",
                "# Problematic frame:",
                "# J 18812 c2 java.util.HashMap.putVal(ILjava/lang/Object;Ljava/lang/Object;ZZ)Ljava/lang/Object; java.base@21.0.4 (300 bytes) @ 0x00007f8a1c21e4b0 [0x00007f8a1c21e3a0+0x0000000000000110]",
                "#",
                "# An error report file with more information is saved as:",
                "# /var/lib/jenkins/workspace/mono-ci_PR-4320/hs_err_pid51877.log",
                "[ERROR] The forked VM terminated without properly saying goodbye. VM crash or System.exit called?",
            ),
        ),
        (
            2332.67,
            "Running on build-07 in /var/lib/jenkins/workspace/mono-ci_PR-4319",
            (
                "/usr/bin/c++ -O2 -g -std=c++20 -c core/net/src/router_7.cpp -o core/net/CMakeFiles/net.dir/src/router_7.cpp.o",
                "c++: internal compiler error: Bus error signal terminated program cc1plus",
                "Please submit a full bug report, with preprocessed source (by using -freport-bug).",
                "See <file:///usr/share/doc/gcc-13/README.Bugs> for instructions.",
                "ninja: build stopped: subcommand failed.",
            ),
        ),
    ]
    for minute, head, tail in crashes:
        console.add(
            [
                at(START, minute, "INFO", head),
                at(START, minute + 3.1, "ERROR", tail[0], tail[1:]),
                at(START, minute + 3.3, "ERROR", "Finished: FAILURE"),
            ]
        )
    for _ in range(22):
        minute = rng.uniform(1500, hours * 60 - 10)
        console.add(
            [
                at(
                    START,
                    minute,
                    "INFO",
                    f"Running on build-07 in /var/lib/jenkins/workspace/mono-ci_PR-{rng.randrange(4200, 4330)}",
                ),
                at(
                    START,
                    minute + rng.uniform(2, 9),
                    "ERROR",
                    rng.choice(
                        [
                            "c++: internal compiler error: Segmentation fault signal terminated program cc1plus",
                            "gcc: internal compiler error: Illegal instruction signal terminated program cc1",
                            "fatal error: fault",
                            "[ERROR] The forked VM terminated without properly saying goodbye. VM crash or System.exit called?",
                            "ld.lld: error: corrupt input file: version definition index 0 for symbol _ZN6search5Shard9rebalanceEv is out of bounds",
                        ]
                    ),
                ),
                at(START, minute + 9.5, "ERROR", "Finished: FAILURE"),
            ]
        )
    console.add(
        [
            at(
                START,
                1220.0,
                "INFO",
                "Pulling docker image registry.corp.lan/ci/toolchain:2025.10.06 (gcc 13.3.0, go 1.23.2, temurin 21.0.4) ...",
            ),
            at(
                START,
                1640.0,
                "WARN",
                "Agent build-05 was marked offline: Connection was broken: java.util.concurrent.TimeoutException: Ping started at 1759827602118 hasn't completed by 1759827842118",
            ),
        ]
    )

    notes = "\n".join(
        [
            "# mono-ci flakiness - notes from build-infra on-call (Wed 11:20 UTC)",
            "",
            "Devs say compiler crashes started after Monday's toolchain image (gcc 13.3). Retrying usually passes.",
            "",
            "Failures by agent since Tue 08:00 (Jenkins 'Build Failure Analyzer', cause = compiler/VM crash):",
            "",
            "| agent    | builds | crash failures |",
            "|----------|--------|----------------|",
            "| build-03 | 212    | 0              |",
            "| build-04 | 198    | 0              |",
            "| build-05 | 171    | 0              |",
            "| build-06 | 205    | 0              |",
            "| build-07 | 189    | 26             |",
            "| build-08 | 201    | 0              |",
            "",
            "$ ssh build-07 sudo edac-util -v",
            "mc0: 0 Uncorrected Errors with no DIMM info",
            "mc0: 0 Corrected Errors with no DIMM info",
            "mc0: csrow0: 2 Uncorrected Errors",
            "mc0: csrow0: CPU_SrcID#0_MC#1_Chan#0_DIMM#0: 154 Corrected Errors",
            "mc0: csrow1: CPU_SrcID#0_MC#1_Chan#1_DIMM#0: 0 Corrected Errors",
            "mc0: csrow2: CPU_SrcID#0_MC#0_Chan#0_DIMM#0: 0 Corrected Errors",
            "",
            "build-05 dropped off once on Tuesday (ping timeout) and came back by itself.",
            "",
        ]
    )
    files = {
        "notes.md": notes,
        "build-07-journal.log": kernel.render(),
        "ci-consoles.log": console.render(),
    }
    return Bundle(
        question="mono-ci builds fail at random with compiler and JVM crashes since Tuesday; a retry usually passes. Devs blame Monday's new toolchain image. What is the real cause?",
        category="hardware",
        component="build-07",
        statement="A DIMM on Jenkins agent build-07 (MC#1 channel 0 slot 0) is failing: corrected ECC errors rise from Monday evening and on Wednesday 08:52:40 UTC uncorrectable ones make the kernel SIGBUS cc1plus and java; compiler and JVM crashes happen only on jobs that run on build-07.",
        files=files,
        proofs=[
            Proof(
                "build-07-journal.log",
                "Uncorrected hardware memory error in user-access at 3e81c27c0",
                "Sending SIGBUS to cc1plus:48211",
            ),
            Proof("notes.md", "| build-07 | 189    | 26"),
        ],
        decoys=[
            "toolchain:2025.10.06 (gcc 13.3.0",
            "TestSessionReconnect",
            "Agent build-05 was marked offline",
        ],
    )
