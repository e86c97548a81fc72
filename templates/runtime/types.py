"""Small shared types: the ``NOT_GIVEN`` sentinel and the accepted shapes of file uploads."""

from __future__ import annotations

from typing import IO, Final, Literal, TypeAlias

__all__ = ["NOT_GIVEN", "FileContent", "FileTypes", "NotGiven"]


class NotGiven:
    """Marks an argument the caller did not pass, where ``None`` is a meaningful value.

    A nullable optional body field defaults to ``NOT_GIVEN``: it is left out of the request,
    while an explicit ``None`` is sent as JSON ``null``.
    """

    _instance: NotGiven | None = None

    def __new__(cls) -> NotGiven:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Final = NotGiven()

FileContent: TypeAlias = bytes | IO[bytes]
"""The content of an uploaded file: bytes or a binary file object."""

FileTypes: TypeAlias = FileContent | tuple[str, FileContent] | tuple[str, FileContent, str]
"""A file upload: content, ``(filename, content)`` or ``(filename, content, content_type)``."""
