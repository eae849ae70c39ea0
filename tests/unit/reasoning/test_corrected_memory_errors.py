"""One corrected memory error is background; repeated or uncorrected ones are a failing DIMM."""

from datetime import UTC, datetime, timedelta

from faultmaven.domain.evidence import AnalysedLine, Level
from faultmaven.reasoning.candidates import Candidate
from faultmaven.reasoning.corrected_errors import single_corrected_memory_error
from faultmaven.reasoning.signatures import SIGNATURES_BY_ID

AT = datetime(2025, 8, 11, 10, 48, tzinfo=UTC)
CORRECTED = "kernel: EDAC MC1: 1 CE memory read error on CPU_SrcID#1_MC#0_Chan#2_DIMM#0"
LOGGED = "kernel: mce: [Hardware Error]: Machine check events logged"
UNCORRECTED = "kernel: mce: Uncorrected hardware memory error in user-access at 3f2a81000"


def _reports(*texts: str) -> Candidate:
    lines = [
        AnalysedLine(
            evidence_id="ev-1",
            evidence_name="syslog",
            n=100 + i,
            text=text,
            time=AT + timedelta(minutes=i),
            level=Level.ERROR,
            group=text,
            signature="memory_hardware_error",
        )
        for i, text in enumerate(texts)
    ]
    return Candidate(
        id="c1",
        signature=SIGNATURES_BY_ID["memory_hardware_error"],
        component="pg-orders-3",
        group=CORRECTED,
        lines=lines,
        keys=[(line.time or AT, 0, line.n) for line in lines],
    )


def test_one_corrected_error_is_ecc_doing_its_job() -> None:
    assert single_corrected_memory_error(_reports(CORRECTED, LOGGED))


def test_corrected_errors_again_and_again_are_a_failing_module() -> None:
    assert not single_corrected_memory_error(_reports(CORRECTED, LOGGED, CORRECTED, LOGGED))


def test_an_uncorrected_error_is_never_background() -> None:
    assert not single_corrected_memory_error(_reports(UNCORRECTED))
