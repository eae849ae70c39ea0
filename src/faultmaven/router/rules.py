"""Clear cues in the wording of a question, each worth a score for one intent."""

import re
from dataclasses import dataclass

from faultmaven.router.context import CaseContext
from faultmaven.router.extract import HypothesisReference
from faultmaven.router.outcome import Intent

STRONG = 0.9
MEDIUM = 0.7
WEAK = 0.45


@dataclass(frozen=True)
class Cue:
    """A wording that points at an intent with some strength."""

    intent: Intent
    weight: float
    pattern: re.Pattern[str]


def _cue(intent: Intent, weight: float, pattern: str) -> Cue:
    return Cue(intent, weight, re.compile(pattern, re.IGNORECASE))


CUES: tuple[Cue, ...] = (
    _cue(
        Intent.HOW_TO_FIX,
        STRONG,
        r"\b(fix(es|ing)?|resolve|remediat\w*|mitigat\w*|workaround|roll ?back|revert"
        r"|recover|get rid of|go away|drain|bump|playbook for (this|a|the)\b.*\b(this|here)"
        r"|commands? to|steps to|what (do|should|can) (i|we) (do|run|try)|what to do)\b",
    ),
    _cue(
        Intent.HOW_TO_FIX,
        MEDIUM,
        r"\b(restart|scale (it )?(up|out)|raise|increase|clear|stop the|handle the|options\??$"
        r"|back up\b|how (do|can|should) (i|we) (stop|get|make|clear|raise|handle|recover))",
    ),
    _cue(Intent.HOW_TO_FIX, WEAK, r"\b(how (do|can|should) (i|we)|how to)\b"),
    _cue(
        Intent.WHEN_STARTED,
        STRONG,
        r"\b(when(s|'s)? (did|was|were|does|is|has)|whens\b|what time|start time|since when"
        r"|how long (has|have|were|was|are|is)|how far back|first (occurrence|error|timestamp|time)"
        r"|earliest|onset|at what point|when did)\b",
    ),
    _cue(
        Intent.WHEN_STARTED,
        MEDIUM,
        r"\b(start(ed)? (climbing|growing|failing|at)|all night|already (broken|failing)"
        r"|begin|began|start before|start at the same time|exact time)\b",
    ),
    _cue(
        Intent.WHAT_CHANGED,
        STRONG,
        r"\b(what('?s| has| is)? changed|anything change|what('?s| is) different|chang(e|ed|es)\b"
        r"|deployed|deploy around|was there a deploy|rollouts?|rolled out|helm release"
        r"|new (image|version)|image version|migration|feature flag|modified|touched|rotated"
        r"|upgraded|push(ed)? (something|to prod)|diff between|v\d+\.\d+ and v?\d+)",
    ),
    _cue(Intent.WHAT_CHANGED, WEAK, r"\b(recent(ly)?|release)\b"),
    _cue(
        Intent.EXPLAIN_LINE,
        STRONG,
        r"\b(explain (this|that|line|the \S+ (event|line|error|message))|explain:"
        r"|what('s| is| does)? (this|that) (line|mean|telling|saying)"
        r"|what does the (line|event|message|error)\b"
        r"|(mean|meaning|saying|telling me)\b.*\b(this|here|the) (log|line|event|container)"
        r"|read this|is this line|<- meaning|what'?s this\b|line \d+)",
    ),
    _cue(
        Intent.EXPLAIN_LINE,
        MEDIUM,
        r"\b(what does|meaning of|saying|telling me)\b|\bmean\??$|`.+`\s*\?$",
    ),
    _cue(
        Intent.FOLLOW_UP,
        MEDIUM,
        r"\b(are you sure|you said|(doesn'?t|does not) make sense|looks wrong|is it really"
        r"|confirmed|refuted|rule out|ruled out|counter.?evidence|how confident"
        r"|why (do|did) you|why not the|dig deeper|more evidence|lines support|you cited"
        r"|not that|(theory|hypothesis)\b|instead\??$)",
    ),
    _cue(
        Intent.WHY,
        STRONG,
        r"\b(why|wy|root cause|caus(e|es|ed|ing)|reason|what made|behind the|my guess)\b",
    ),
    _cue(
        Intent.WHY,
        MEDIUM,
        r"\b(is it (a|an|the)|could (this|it) be|is the \w+ (expired|down|full|dead)"
        r"|\w+ thing or)\b",
    ),
    _cue(
        Intent.WHAT_IS_WRONG,
        STRONG,
        r"\b(what('?s| is)? (wrong|broken|happening|going on|the problem|up)|whats (wrong|going on)"
        r"|what broke|anything (weird|obvious|wrong)|diagnose|take a look|summari[sz]e"
        r"|any errors|is .{1,30} down|no idea what)\b|^\[firing|pagerduty|\btriggered\b"
        r"|(?-i:^[A-Z][a-z]+[A-Z][a-z]\w+)",
    ),
    _cue(
        Intent.WHAT_IS_WRONG,
        WEAK,
        r"\b(errors?|5\d\d|5xx|latency|slow|crash\w*|fail\w*|down|unhealthy|stuck|lag|spike)\b",
    ),
    _cue(
        Intent.GENERAL,
        STRONG,
        r"^\s*(hi|hello|hey|thanks?|thank you|ok|okay|cool|great)\b[\s,.!]*(that helped)?[\s.!]*$"
        r"|\b(what can you do|how does it work|in general|best practices?|difference between"
        r"|how do you (upload|use|add))\b",
    ),
    _cue(
        Intent.GENERAL,
        MEDIUM,
        r"\b(what('?s| is) an? |what('?s| is) the default|how does|explain how|recommend"
        r"|is there a (runbook|playbook|doc)|vs\.? \d+|what('?s| is) (cfs|an?) )",
    ),
)


def cue_scores(question: str) -> dict[Intent, float]:
    """Score each intent by the strongest of its cues found in the question."""
    scores: dict[Intent, float] = {}
    for cue in CUES:
        if cue.weight > scores.get(cue.intent, 0.0) and cue.pattern.search(question):
            scores[cue.intent] = cue.weight
    return scores


def rule_scores(
    question: str,
    context: CaseContext,
    reference: HypothesisReference | None,
    quoted_lines: tuple[str, ...],
) -> dict[Intent, float]:
    """Score intents from the wording, the quoted lines and what the case has already shown."""
    scores = cue_scores(question)
    if quoted_lines:
        scores[Intent.EXPLAIN_LINE] = max(scores.get(Intent.EXPLAIN_LINE, 0.0), STRONG)
    follow_up = scores.get(Intent.FOLLOW_UP, 0.0)
    if context.has_previous_diagnosis:
        if reference is not None:
            follow_up = max(follow_up, STRONG + 0.05) if reference.rank or reference.id else 0.0
        if follow_up:
            # A question about a shown hypothesis outranks a cause question in its wording.
            follow_up = max(follow_up, scores.get(Intent.WHY, 0.0) + 0.05)
    else:
        follow_up = min(follow_up, WEAK) if reference is None else max(follow_up, MEDIUM)
    if max(scores.get(Intent.HOW_TO_FIX, 0.0), scores.get(Intent.WHEN_STARTED, 0.0)) >= STRONG:
        # "how do I fix #2" asks for a fix; the reference only says which one.
        follow_up = min(follow_up, MEDIUM)
    if follow_up:
        scores[Intent.FOLLOW_UP] = follow_up
    if not context.evidence_kinds and not scores:
        scores[Intent.GENERAL] = WEAK
    return scores
