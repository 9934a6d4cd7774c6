"""Errors a user can act on. The CLI prints their message on one line and exits non-zero."""


class KhabarError(Exception):
    """Base class for errors that are the user's input or environment, not a bug."""

    exit_code = 1


class InputError(KhabarError):
    """A path, file or argument the user gave cannot be used."""

    exit_code = 2


class DatabaseBusy(KhabarError):
    """Another process holds a write lock on the database for longer than a write waits."""

    exit_code = 2


class DecodeError(KhabarError):
    """Bytes that are not text in any encoding we accept (binary, empty, undecodable)."""


class PipelineError(KhabarError):
    """A pipeline was asked for that cannot run (unknown stage, missing requirement)."""


class UnknownStage(PipelineError):
    """A stage name no stage has (a mistyped `--stages`): bad input, as an unknown field is."""

    exit_code = 2


class NotFound(KhabarError):
    """An article, story or other record that is not in the store."""

    exit_code = 3
