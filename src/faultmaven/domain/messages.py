"""The conversation inside a case."""

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field


class Role(StrEnum):
    """Who said a message."""

    USER = "user"
    ASSISTANT = "assistant"


class MessageCreate(BaseModel):
    """A question or remark from the engineer."""

    content: str = Field(min_length=1, max_length=50_000)


class Message(BaseModel):
    """One turn of the conversation; an assistant's `content` is Markdown."""

    id: str
    role: Role
    content: str
    created_at: datetime
