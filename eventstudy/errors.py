"""Named error and warning classes shared by every stage.

Each message says what happened, the value seen, and how to fix it. Stage modules define
their own subclasses of :class:`EventStudyError` next to the code that raises them.
"""

from __future__ import annotations


class EventStudyError(Exception):
    """Base class of every error the toolkit raises on purpose."""


class EventStudyWarning(UserWarning):
    """Base class of every warning the toolkit issues on purpose."""


class DataFileError(EventStudyError, ValueError):
    """A data file (lexicon, gazetteer, registry, overrides ...) failed its schema check.

    The message names the file, the line (or table key) and the field, what was found and
    what was expected.
    """

    def __init__(self, path: object, where: str, problem: str) -> None:
        self.path = str(path)
        self.where = where
        self.problem = problem
        super().__init__(f"{self.path}, {where}: {problem}")


class ArticleError(EventStudyError, ValueError):
    """An article file could not be read. The message names the file and what was expected."""

    def __init__(self, path: object, problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


class SkippedInputWarning(EventStudyWarning):
    """Inputs were skipped at the user's request (``errors="skip"``); the warning lists them."""
