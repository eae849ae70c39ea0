"""All settings in one place, read from `FAULTMAVEN_*` environment variables.

Only surfaces (gateway, CLI, worker) read settings; they hand each part what it needs.
"""

from enum import StrEnum
from pathlib import Path

import platformdirs
from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from faultmaven.agent.settings import LlmSettings

GIB = 1024**3


class LLMProvider(StrEnum):
    """Which language model, if any, refines the offline diagnosis."""

    NONE = "none"
    OPENAI = "openai"
    ANTHROPIC = "anthropic"
    OLLAMA = "ollama"
    OPENAI_COMPATIBLE = "openai_compatible"


class EmbeddingsProvider(StrEnum):
    """Where knowledge-base vectors come from."""

    LOCAL = "local"
    OPENAI = "openai"
    OLLAMA = "ollama"
    NONE = "none"


def default_home() -> Path:
    """Return the user's data folder for FaultMaven (used when `FAULTMAVEN_HOME` is unset)."""
    return Path(platformdirs.user_data_dir("faultmaven", appauthor=False))


class Settings(BaseSettings):
    """FaultMaven's settings (CONTRACTS.md section 6)."""

    model_config = SettingsConfigDict(env_prefix="FAULTMAVEN_", extra="ignore")

    home: Path = Field(default_factory=default_home)
    database_url: str | None = None
    max_upload_bytes: int = Field(default=2 * GIB, gt=0)
    llm_provider: LLMProvider = LLMProvider.NONE
    llm_model: str | None = None
    llm_base_url: str | None = None
    llm_api_key: str | None = None
    llm_timeout_seconds: float = Field(default=60.0, gt=0)
    llm_max_retries: int = Field(default=2, ge=0)
    embeddings: EmbeddingsProvider = EmbeddingsProvider.LOCAL
    embeddings_model: str | None = None
    embeddings_base_url: str | None = None
    embeddings_api_key: str | None = None
    redact_ips: bool = False
    log_level: str = "INFO"
    metrics_enabled: bool = True

    @field_validator("database_url")
    @classmethod
    def _blank_url_means_embedded(cls, value: str | None) -> str | None:
        return value.strip() or None if value is not None else None

    @field_validator("home")
    @classmethod
    def _absolute_home(cls, value: Path) -> Path:
        return value.expanduser().resolve()

    @property
    def local_api_key_file(self) -> Path:
        """Where `serve` keeps the key of the `local` tenant, readable by the user alone."""
        return self.home / "local-api-key"

    @property
    def upload_folder(self) -> Path:
        """Where uploads are spooled while they stream in."""
        return self.home / "uploads"

    def llm(self) -> LlmSettings | None:
        """Return the model that refines diagnoses (None: the offline reasoner answers alone)."""
        if self.llm_provider is LLMProvider.NONE:
            return None
        return LlmSettings(
            provider=self.llm_provider.value,
            model=self.llm_model,
            base_url=self.llm_base_url,
            api_key=self.llm_api_key,
            timeout_seconds=self.llm_timeout_seconds,
            max_retries=self.llm_max_retries,
            redact_ips=self.redact_ips,
        )
