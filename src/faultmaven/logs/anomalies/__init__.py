"""Anomalies in logs: per-template profiles over time and what is abnormal in them."""

from faultmaven.logs.anomalies.changepoint import RateChange, error_rate_step
from faultmaven.logs.anomalies.detect import abnormal_groups, detect_anomalies, is_flagged
from faultmaven.logs.anomalies.earlier_evidence import (
    EarlierEvidenceVerdict,
    EvidenceTemplates,
    NewSinceEarlier,
    judge_earlier_evidence,
)
from faultmaven.logs.anomalies.profile import TemplateProfile

__all__ = [
    "EarlierEvidenceVerdict",
    "EvidenceTemplates",
    "NewSinceEarlier",
    "RateChange",
    "TemplateProfile",
    "abnormal_groups",
    "detect_anomalies",
    "error_rate_step",
    "is_flagged",
    "judge_earlier_evidence",
]
