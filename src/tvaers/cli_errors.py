"""How every `tvaers` command ends a failure: one clear line on stderr and a non-zero exit.

Commands report what they foresee themselves (a refused delivery, an unknown indicator).
Everything else that escapes a command — a bad option, an output path that cannot be
written, a missing file, a library's error — is caught here, once for all commands, and
shown as one line (CPR-shaped values masked, markup never interpreted) instead of a
traceback. `TVAERS_DEBUG=1` shows the traceback for a developer.
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Sequence

import typer
from typer._click import exceptions as click_exceptions

from tvaers.i18n import tr
from tvaers.safe_text import one_line

# Exit codes: 1 a failure, 2 a usage error (as Click), 130 interrupted (as a shell).
FAILURE, USAGE, INTERRUPTED = 1, 2, 130

_OS_REASONS = {
    errno.ENOENT: ("findes ikke", "does not exist"),
    errno.EACCES: ("ingen adgang", "permission denied"),
    errno.EPERM: ("ingen adgang", "permission denied"),
    errno.EROFS: ("filsystemet er skrivebeskyttet", "the file system is read-only"),
    errno.EISDIR: ("er en mappe", "is a directory"),
    errno.ENOTDIR: ("en del af stien er ikke en mappe", "a part of the path is not a directory"),
    errno.ENOSPC: ("der er ikke mere plads på disken", "no space left on the device"),
    errno.EEXIST: (
        "findes allerede (og er ikke en mappe)",
        "already exists (and is not a directory)",
    ),
}


def describe(exc: BaseException) -> str:
    """The one line that says what went wrong."""
    if isinstance(exc, click_exceptions.UsageError):
        where = f" ({exc.ctx.command_path})" if exc.ctx is not None else ""
        return tr(
            f"Fejl{where}: {one_line(exc.format_message())} (se --help)",
            f"Error{where}: {one_line(exc.format_message())} (see --help)",
        )
    if isinstance(exc, click_exceptions.ClickException):
        return f"{tr('Fejl', 'Error')}: {one_line(exc.format_message())}"
    if isinstance(exc, OSError) and (exc.filename or exc.strerror):
        da, en = _OS_REASONS.get(exc.errno, (exc.strerror, exc.strerror))
        target = f"{exc.filename}: " if exc.filename else ""
        return f"{tr('Fejl', 'Error')}: {one_line(target + tr(da or '', en or ''))}"
    kind = type(exc).__name__
    return f"{tr('Fejl', 'Error')} ({kind}): {one_line(exc) or kind}"


def _say(line: str) -> None:
    # Plain text, not Rich: nothing in the message is read as markup and nothing wraps.
    sys.stderr.write(line.replace("\n", " ") + "\n")
    sys.stderr.flush()


def run(app: typer.Typer, args: Sequence[str] | None = None) -> int:
    """Run the command line; the exit code it ends with."""
    try:
        result = app(
            args=list(args) if args is not None else None,
            prog_name="tvaers",
            standalone_mode=False,
        )
    except typer.Exit as exc:
        return exc.exit_code
    except click_exceptions.NoArgsIsHelpError as exc:
        # `tvaers` or `tvaers db` alone: the help is what was asked for
        sys.stderr.write(exc.format_message() + "\n")
        return USAGE
    except typer.Abort:
        _say(tr("Afbrudt.", "Aborted."))
        return INTERRUPTED
    except KeyboardInterrupt:
        _say(tr("Afbrudt.", "Aborted."))
        return INTERRUPTED
    except click_exceptions.ClickException as exc:
        _say(describe(exc))
        return exc.exit_code or USAGE
    except Exception as exc:
        if os.environ.get("TVAERS_DEBUG") == "1":
            raise
        _say(describe(exc))
        return FAILURE
    return result if isinstance(result, int) else 0
