"""Template mining benchmark: FaultMaven's miner against drain3 on Loghub-2k, and speed.

Run `.venv/bin/python bench/parsing.py [--lines N]`. Accuracy: per system GA, PA and FGA
(see bench/loghub.py) for our miner, for drain3 (one setting for every system: similarity 0.5,
depth 4, each line given its cluster's final template) and for a naive baseline (the masked
message is the template), all given only the `Content` of the formats.json header layout;
then GA without any header format (FaultMaven's own format readers find the message).
Speed: N replicated HDFS lines with
fresh variable values on every line (digit runs of kept width, then of natural width), end to end
(header split + masking + mining), CPU and wall time.
"""

import argparse
import random
import re
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from drain3 import TemplateMiner as DrainMiner
from drain3.masking import MaskingInstruction
from drain3.template_miner_config import TemplateMinerConfig

sys.path.insert(0, str(Path(__file__).resolve().parent))

from loghub import SYSTEMS, Sample, Scores, load, score

from faultmaven.logs.formats import EventReader, FormatParser, default_parsers
from faultmaven.logs.headers import HeaderFormat
from faultmaven.logs.templates import TemplateMiner, mask

Parser = Callable[[Sequence[str]], tuple[list[str], list[str]]]


def ours(contents: Sequence[str]) -> tuple[list[str], list[str]]:
    """Mine with FaultMaven's miner; return each line's final group and template."""
    miner = TemplateMiner()
    miner.add_batch(contents)
    final = miner.final_assignments()
    return [entry.group for entry in final], [entry.template for entry in final]


# The masking list of drain3's example configuration (drain3.ini), masks written as `<*>`.
DRAIN_MASKS = (
    r"((?<=[^A-Za-z0-9])|^)(([0-9a-f]{2,}:){3,}([0-9a-f]{2,}))((?=[^A-Za-z0-9])|$)",
    r"((?<=[^A-Za-z0-9])|^)(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})((?=[^A-Za-z0-9])|$)",
    r"((?<=[^A-Za-z0-9])|^)([0-9a-f]{6,} ?){3,}((?=[^A-Za-z0-9])|$)",
    r"((?<=[^A-Za-z0-9])|^)([0-9A-F]{4} ?){4,}((?=[^A-Za-z0-9])|$)",
    r"((?<=[^A-Za-z0-9])|^)(0x[a-f0-9A-F]+)((?=[^A-Za-z0-9])|$)",
    r"((?<=[^A-Za-z0-9])|^)([\-\+]?\d+)((?=[^A-Za-z0-9])|$)",
)


def drain(contents: Sequence[str], masked: bool = False) -> tuple[list[str], list[str]]:
    """Mine with drain3 (sim 0.5, depth 4); each line gets its cluster's final template.

    `masked` adds the masking list of drain3's example configuration.
    """
    config = TemplateMinerConfig()
    config.drain_sim_th = 0.5
    config.drain_depth = 4
    config.profiling_enabled = False
    if masked:
        config.mask_prefix, config.mask_suffix = "<", ">"
        config.masking_instructions = [MaskingInstruction(mask, "*") for mask in DRAIN_MASKS]
    miner = DrainMiner(config=config)
    clusters = [miner.add_log_message(content)["cluster_id"] for content in contents]
    final = {cluster.cluster_id: cluster.get_template() for cluster in miner.drain.clusters}
    return [str(cluster) for cluster in clusters], [final[cluster] for cluster in clusters]


def masked_only(contents: Sequence[str]) -> tuple[list[str], list[str]]:
    """Naive baseline: the masked message (numbers, ids... as `<*>`) is the template."""
    templates = [" ".join(mask(content).split()) for content in contents]
    return templates, templates


def drain_masked(contents: Sequence[str]) -> tuple[list[str], list[str]]:
    """drain3 with the masking list of its example configuration."""
    return drain(contents, masked=True)


PARSERS: dict[str, Parser] = {
    "faultmaven": ours,
    "drain3": drain,
    "drain3+masks": drain_masked,
    "masked-only": masked_only,
}


def accuracy_table(samples: list[Sample]) -> None:
    """Print GA/PA/FGA per system and parser, with the header format applied."""
    print("## Accuracy with the formats.json header layout (parser sees Content only)\n")
    header = "| system | " + " | ".join(f"{name} GA / PA / FGA" for name in PARSERS) + " |"
    print(header)
    print("|---" * (len(PARSERS) + 1) + "|")
    totals = {name: [0.0, 0.0, 0.0] for name in PARSERS}
    for sample in samples:
        layout = HeaderFormat.parse(sample.log_format)
        contents = [layout.content(line) for line in sample.lines]
        cells = []
        for name, parser in PARSERS.items():
            result = score(sample, *parser(contents))
            _accumulate(totals[name], result)
            cells.append(_cell(result))
        print(f"| {sample.system} | " + " | ".join(cells) + " |")
    count = len(samples)
    averages = [_cell(Scores(*(value / count for value in totals[name]))) for name in PARSERS]
    print("| **average** | " + " | ".join(averages) + " |\n")


def _messages(lines: list[str], parsers: list[FormatParser] | None) -> list[str]:
    """Read each physical line as one event with our own format detection; keep its message."""
    reader = EventReader(parsers=parsers, max_event_lines=1)
    messages = [event.message for event in reader.read(lines)]
    assert len(messages) == len(lines), "every line must be one event in per-line mode"
    return messages


def no_header_table(samples: list[Sample]) -> None:
    """Print GA when no header format is given: FaultMaven's own format readers find the message.

    The second column leaves out the reader that knows the Loghub systems' header layouts,
    to show what the generic readers alone achieve on layouts they were not told about.
    """
    generic_only = [parser for parser in default_parsers() if parser.name != "loghub"]
    print("## GA without a header format (FaultMaven's own format detection)\n")
    print(
        "| system | faultmaven GA | faultmaven GA, generic readers only | drain3 GA (same input) |"
    )
    print("|---|---|---|---|")
    totals = [0.0, 0.0, 0.0]
    for sample in samples:
        contents = _messages(sample.lines, None)
        generic = _messages(sample.lines, generic_only)
        results = (
            score(sample, *ours(contents)).grouping_accuracy,
            score(sample, *ours(generic)).grouping_accuracy,
            score(sample, *drain(contents)).grouping_accuracy,
        )
        for index, value in enumerate(results):
            totals[index] += value
        print(f"| {sample.system} | " + " | ".join(f"{value:.3f}" for value in results) + " |")
    count = len(samples)
    print("| **average** | " + " | ".join(f"{total / count:.3f}" for total in totals) + " |\n")


def _accumulate(total: list[float], result: Scores) -> None:
    total[0] += result.grouping_accuracy
    total[1] += result.parsing_accuracy
    total[2] += result.group_f1


def _cell(result: Scores) -> str:
    return f"{result.grouping_accuracy:.3f} / {result.parsing_accuracy:.3f} / {result.group_f1:.3f}"


_DIGITS = re.compile(r"\d+")


def fresh_lines(sample: Sample, count: int, seed: int = 7, keep_widths: bool = True) -> list[str]:
    """Replicate the sample's lines with every digit run redrawn, so no line repeats exactly.

    With `keep_widths` a run keeps its number of digits (ids, timestamps); without it the new
    value is drawn below the same power of ten and written unpadded, so about one run in ten
    gets shorter (counts, sizes, ports, addresses).
    """
    randomness = random.Random(seed)

    def redraw(match: re.Match[str]) -> str:
        width = len(match.group())
        low = 10 ** (width - 1) if width > 1 and keep_widths else 0
        return str(randomness.randrange(low, 10**width))

    return [_DIGITS.sub(redraw, sample.lines[index % len(sample.lines)]) for index in range(count)]


def _timed_end_to_end(
    parser: Parser, layout: HeaderFormat, lines: Sequence[str]
) -> tuple[float, float]:
    """Return the CPU and wall seconds of header split and parsing of all `lines`."""
    cpu, wall = time.process_time(), time.perf_counter()
    parser([layout.content(line) for line in lines])
    return time.process_time() - cpu, time.perf_counter() - wall


def speed_table(lines_wanted: int) -> None:
    """Print seconds and lines/s (CPU and wall) for both miners end to end, and the ratios."""
    sample = load("HDFS")
    layout = HeaderFormat.parse(sample.log_format)
    miners: dict[str, Parser] = {"faultmaven": ours, "drain3": drain, "drain3+masks": drain_masked}
    inputs = (
        ("digit runs keep their width", True, ("faultmaven", "drain3", "drain3+masks")),
        ("digit runs of natural width", False, ("faultmaven", "drain3")),
    )
    for title, keep_widths, names in inputs:
        lines = fresh_lines(sample, lines_wanted, keep_widths=keep_widths)
        print(f"## Speed: {len(lines):,} HDFS lines, fresh values, {title}, end to end\n")
        print(f"distinct lines: {len(set(lines)):,}\n")
        print(
            "| miner | CPU s | wall s | lines/s (CPU) | lines/s (wall) | time / faultmaven time |"
        )
        print("|---|---|---|---|---|---|")
        reference = (0.0, 0.0)
        for name in names:
            cpu, wall = _timed_end_to_end(miners[name], layout, lines)
            reference = reference if reference[0] else (cpu, wall)
            ratio = f"{cpu / reference[0]:.2f}x CPU / {wall / reference[1]:.2f}x wall"
            print(
                f"| {name} | {cpu:.2f} | {wall:.2f} | {len(lines) / cpu:,.0f} "
                f"| {len(lines) / wall:,.0f} | {ratio} |"
            )
        print()


def main() -> None:
    """Run the accuracy tables and the speed comparison."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000, help="lines in the speed run")
    parser.add_argument("--skip-speed", action="store_true", help="accuracy tables only")
    arguments = parser.parse_args()
    samples = [load(system) for system in SYSTEMS]
    accuracy_table(samples)
    no_header_table(samples)
    if not arguments.skip_speed:
        speed_table(arguments.lines)


if __name__ == "__main__":
    main()
