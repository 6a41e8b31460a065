"""Private media through Django's storage API, wherever it lives (local disk or S3).

Workers on another host cannot open the web server's disk: jobs read their input through
``local_copy`` (streamed from storage into a private temporary file, since OpenCV and PyAV need
a real path) and write their output through ``save_path``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage


@contextmanager
def local_copy(name: str, *, storage=None) -> Iterator[Path]:
    """A temporary local file holding the stored file ``name``; removed afterwards."""
    storage = storage or default_storage
    suffix = Path(name).suffix
    fd, temp = tempfile.mkstemp(prefix="collis-", suffix=suffix)
    try:
        with os.fdopen(fd, "wb") as sink, storage.open(name, "rb") as source:
            shutil.copyfileobj(source, sink, length=1024 * 1024)
        yield Path(temp)
    finally:
        Path(temp).unlink(missing_ok=True)


def save_path(name: str, path: Path, *, storage=None) -> str:
    """Store the local file ``path`` as ``name``; return the name it was stored under."""
    storage = storage or default_storage
    with path.open("rb") as handle:
        return storage.save(name, File(handle, name=Path(name).name))


def is_remote(storage=None) -> bool:
    """True when files are not on this machine's disk (S3): no ``path()``."""
    storage = storage or default_storage
    try:
        storage.path("probe")
    except NotImplementedError:
        return True
    return False
