from faultmaven.router import CaseContext, Intent, Method, Route, refined, route_question


class RecordingRefiner:
    """Stands in for the chat model at the process boundary: answers and counts its calls."""

    def __init__(self, answer: Intent | None = None, failure: Exception | None = None) -> None:
        self.answer = answer
        self.failure = failure
        self.questions: list[str] = []

    def __call__(self, question: str) -> Intent | None:
        self.questions.append(question)
        if self.failure is not None:
            raise self.failure
        return self.answer


UNSURE = Route(Intent.WHAT_IS_WRONG, 0.3, Method.DEFAULT)
SURE = Route(Intent.HOW_TO_FIX, 0.9, Method.RULES)


def test_a_confident_route_is_not_sent_to_the_model() -> None:
    refiner = RecordingRefiner(Intent.GENERAL)
    assert refined(SURE, "how do i fix it", refiner) == SURE
    assert refiner.questions == []


def test_an_unsure_route_takes_the_models_intent() -> None:
    refiner = RecordingRefiner(Intent.WHAT_CHANGED)
    route = refined(UNSURE, "anything new on the payments side", refiner)
    assert (route.intent, route.method) == (Intent.WHAT_CHANGED, Method.LLM)
    assert route.confidence > UNSURE.confidence
    assert refiner.questions == ["anything new on the payments side"]


def test_a_model_that_cannot_tell_leaves_the_route() -> None:
    assert refined(UNSURE, "hmm", RecordingRefiner(None)) == UNSURE


def test_a_failing_model_leaves_the_route_and_says_why() -> None:
    route = refined(UNSURE, "hmm", RecordingRefiner(failure=TimeoutError("model timed out")))
    assert (route.intent, route.method) == (UNSURE.intent, UNSURE.method)
    assert route.fallback_reason == "refiner TimeoutError: model timed out"


def test_route_question_asks_the_model_only_for_unsure_questions() -> None:
    refiner = RecordingRefiner(Intent.WHAT_CHANGED)
    context = CaseContext(evidence_kinds=("log",))
    clear = route_question("when did the errors start", context, refine=refiner)
    unclear = route_question("the payments side of things", context, refine=refiner)
    assert clear.intent is Intent.WHEN_STARTED
    assert (unclear.intent, unclear.method) == (Intent.WHAT_CHANGED, Method.LLM)
    assert refiner.questions == ["the payments side of things"]
