"""Reflect's files hold clients' words: its folders are 0700 and its files 0600.

Every SQLite file, log and token file Reflect makes is created with these modes, and one made
wider by an older version is narrowed the next time Reflect opens it. Processes Reflect starts
run with the umask PRIVATE_UMASK, so what they create (Rasa's tracker store) is private too.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from bot.settings import Settings

PRIVATE_UMASK = 0o077
DIR_MODE = 0o700
FILE_MODE = 0o600
# SQLite's companions of a database file; it gives new ones the database file's mode.
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")


def _narrow(path: Path, mode: int) -> None:
    """Takes away every permission beyond `mode` from a path this user owns."""
    status = path.stat()
    if status.st_mode & 0o777 & ~mode and status.st_uid == os.geteuid():
        path.chmod(status.st_mode & 0o777 & mode)


def private_dir(path: Path) -> Path:
    """Makes the folder `path` and any missing parents 0700, and narrows `path` to 0700."""
    for folder in reversed((path, *path.parents)):
        if not folder.exists():
            folder.mkdir(mode=DIR_MODE, exist_ok=True)
    _narrow(path, DIR_MODE)
    return path


def private_file(path: Path) -> Path:
    """Creates `path` empty with mode 0600 if it is missing, else narrows it to 0600, so what
    is written into it next is for this user only. Its folder is left as it is."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    except FileExistsError:
        _narrow(path, FILE_MODE)
    return path


def private_sqlite(path: Path) -> None:
    """A SQLite database file: 0600 in a 0700 folder, with any companion files 0600."""
    private_dir(path.parent)
    private_file(path)
    for suffix in SQLITE_COMPANIONS:
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            _narrow(companion, FILE_MODE)


def private_var(settings: Settings, log_dir: Path) -> None:
    """Readies the var folder for a running stack: itself and `log_dir` 0700, and Rasa's
    tracker store 0600."""
    private_dir(settings.var_dir)
    private_dir(log_dir)
    private_sqlite(settings.config_path(Path(settings.tracker_db_path)))


def kept_secret(var_dir: Path, name: str) -> str:
    """A random secret made once and kept in var_dir (0600) under `name`, then reused by every
    process of the stack; for development, where no secret is configured."""
    path = private_dir(var_dir) / name
    if not path.exists():
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        except FileExistsError:  # another process made it first
            pass
        else:
            with os.fdopen(fd, "w") as secret_file:
                secret_file.write(secrets.token_urlsafe(32))
    return private_file(path).read_text().strip()
