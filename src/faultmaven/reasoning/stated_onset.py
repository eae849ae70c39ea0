"""When the person asking says the trouble began: "since 18:17", "at about 10:23 UTC".

The clock time is placed on the evidence's own days, in the zone the question names (UTC
when it names none); a time that falls outside the evidence is ignored, since it then
cannot be what the evidence shows.
"""

import re
from datetime import datetime, timedelta, timezone

_OFFSETS = {
    "UTC": 0.0, "GMT": 0.0, "Z": 0.0, "CET": 1.0, "CEST": 2.0, "EET": 2.0, "EEST": 3.0,
    "WET": 0.0, "WEST": 1.0, "BST": 1.0, "IST": 5.5, "EST": -5.0, "EDT": -4.0, "CST": -6.0,
    "CDT": -5.0, "MST": -7.0, "MDT": -6.0, "PST": -8.0, "PDT": -7.0, "JST": 9.0, "SGT": 8.0,
    "AEST": 10.0, "AEDT": 11.0, "ACST": 9.5, "ACDT": 10.5, "AWST": 8.0, "NZST": 12.0,
    "NZDT": 13.0, "HKT": 8.0, "KST": 9.0, "MSK": 3.0, "SAST": 2.0, "BRT": -3.0, "ART": -3.0,
    "AKST": -9.0, "AKDT": -8.0, "HST": -10.0, "NST": -3.5, "NDT": -2.5,
}  # fmt: skip
# The zone may follow the time directly ("18:17 UTC") or after a place ("14:26 Paris time
# (CET)"); zone names are matched in capitals only, so "since 18:17 and" names no zone.
_ZONE = "|".join(sorted(_OFFSETS, key=len, reverse=True))
_CLOCK = (
    r"(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([ap]m))?"
    rf"(?:\s*(?:[A-Z][a-z]+ time\s*)?\(?(?-i:({_ZONE}))\b)?"
)
_STATED = re.compile(
    r"\b(?:since|starting(?: at)?|started(?: at| around| about)?|began(?: at)?|from|beginning"
    r"|at about|at around|around|about|(?:shortly |just |right |soon )?after)\s+"
    r"(?:about\s+|around\s+|roughly\s+|approximately\s+|approx\.?\s+|~)?" + _CLOCK,
    re.IGNORECASE,
)
# Said further from its cue: "started timing out at 13:21", "down since the 4.8.0 sync at
# 09:02", "since the 10:21 deploy". Read only when no nearer cue names a time.
_STATED_LATER = re.compile(
    r"\b(?:since|starting|started|began|begun|beginning)\b[^.?!\d]{0,40}?"
    r"(?:\d[\w.]*[^.?!\d]{0,20}?)?\b(?:at|the)\s+"
    r"(?:about\s+|around\s+|roughly\s+|approximately\s+|approx\.?\s+|~)?" + _CLOCK,
    re.IGNORECASE,
)
# How far before the evidence's first line a stated onset may still lie.
LEEWAY = timedelta(minutes=30)


def stated_onset(question: str | None, first: datetime, last: datetime) -> datetime | None:
    """Return the moment the question says the trouble began, if it falls in the evidence."""
    if not question:
        return None
    found = _STATED.search(question) or _STATED_LATER.search(question)
    if found is None:
        return None
    hour, minute = int(found.group(1)), int(found.group(2))
    second = int(found.group(3) or 0)
    meridiem, zone = (found.group(4) or "").lower(), (found.group(5) or "UTC").upper()
    if meridiem == "pm" and hour < 12:
        hour += 12
    elif meridiem == "am" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59 or second > 59 or zone not in _OFFSETS:
        return None
    offset = timezone(timedelta(hours=_OFFSETS[zone]))
    day = first.astimezone(offset).date() - timedelta(days=1)
    chosen = None
    while day <= last.astimezone(offset).date():
        moment = datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=offset)
        if first - LEEWAY <= moment <= last:
            chosen = moment
        day += timedelta(days=1)
    return chosen


_ZONE_NAMED = re.compile(rf"\b({'|'.join(name for name in _OFFSETS if name != 'Z')})\b")


def question_zone(question: str | None) -> timedelta | None:
    """Return the UTC offset of the one time zone the question names (`19:30 CDT`), if one."""
    named = {_OFFSETS[name] for name in _ZONE_NAMED.findall(question or "")}
    return timedelta(hours=named.pop()) if len(named) == 1 else None
