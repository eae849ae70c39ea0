"""One corrected memory error is ECC doing its job, not a failing module.

A DIMM going bad logs corrected errors again and again (or an uncorrected one, which kills
what touched the page); a single `EDAC MC1: 1 CE memory read error` with its "Machine check
events logged" is background on any large server, whatever happens later that day.
"""

import re

from faultmaven.reasoning.candidates import Candidate

_CORRECTED = re.compile(r"EDAC \S+: \d+ CE memory")
_UNCORRECTED = re.compile(
    r"EDAC \S+: \d+ UE memory|uncorrect|memory corruption|memory failure|fatal", re.IGNORECASE
)


def single_corrected_memory_error(candidate: Candidate) -> bool:
    """Tell whether a memory hardware report is one corrected error and nothing worse."""
    if candidate.signature is None or candidate.signature.id != "memory_hardware_error":
        return False
    texts = [line.text for line in candidate.lines]
    if any(_UNCORRECTED.search(text) for text in texts):
        return False
    return sum(1 for text in texts if _CORRECTED.search(text)) <= 1
