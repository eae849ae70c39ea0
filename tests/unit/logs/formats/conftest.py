import pytest
from format_reading import Reader, read_text


@pytest.fixture
def read() -> Reader:
    return read_text
