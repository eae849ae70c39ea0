"""The LLM settings a surface hands the agent (the agent never reads the environment)."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class LlmSettings:
    """Which model refines the offline diagnosis, and how patiently it is called."""

    provider: str
    model: str | None = None
    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)
    timeout_seconds: float = 60.0
    max_retries: int = 2
    redact_ips: bool = False
