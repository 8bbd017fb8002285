"""glibc malloc settings for the long-running ``streamlit run`` server (set once, at start-up).

Why: every browser tab is a session whose script runs on threads of its own, and glibc gives
threads new malloc arenas (up to 8 per core) which keep the memory they once held; memory freed
after a render stays in the process. Measured by ``python -m bench --only server_memory``: the
server grew with each tab and stayed at its plateau after the tabs closed. So, in this process:

- ``M_ARENA_MAX`` 2: threads share two arenas instead of one each, so a new tab reuses memory
  freed by the last one instead of claiming more (what ``MALLOC_ARENA_MAX=2`` does, which
  would have to be set before the process starts; a value set there is kept);
- ``M_MMAP_THRESHOLD`` 128 KiB, fixed: every block that large (numpy and pyarrow arrays) has
  pages of its own, handed back to the system the moment it is freed. glibc starts at 128 KiB
  but raises the threshold to the size of each large block freed (up to 32 MiB), after which
  such arrays come from the heap and their memory stays with the process once freed, in the
  arena of the thread that freed it: the arrays read from the database and rating's
  temporaries (built on worker threads) were still held while the first page was drawn.
  Measured with ``AppTest`` of the overview at 150 areas in one process (VmHWM, three runs):
  394-415 MB with glibc's moving threshold, 362-372 MB fixed at 128 KiB, 373-387 MB at 1 MiB,
  385-391 MB at 4 MiB; rating took no longer (``MALLOC_MMAP_THRESHOLD_`` set before the start
  is kept);
- pyarrow allocates through glibc too (its system memory pool) instead of its bundled
  mimalloc, which kept what it had once held: the peak while the register is read and rated
  at the 150-area scale was 70 MB higher with mimalloc, and only glibc's memory is trimmed
  here (``ARROW_DEFAULT_MEMORY_POOL`` set before the start is kept);
- a trimmer thread: when more than :data:`TRIM_SLACK` bytes the program has freed are held by
  the allocator (``mallinfo2``), ``malloc_trim(0)`` hands the free pages back to the system, so
  memory that closed sessions held is released (about every :data:`TRIM_EVERY_S` seconds at
  most; idle, it costs one ``mallinfo2`` call).

On a C library without these calls (not glibc: musl, macOS) nothing is changed.
"""

from __future__ import annotations

import ctypes
import os
import threading

M_ARENA_MAX = -8  # mallopt parameter numbers from glibc's malloc.h
M_MMAP_THRESHOLD = -3
ARENAS = 2
MMAP_THRESHOLD = 128 * 2**10  # bytes: a block this large or larger is mapped on its own
TRIM_SLACK = 16 * 2**20  # free bytes held before a trim is worth its walk over the heap
TRIM_EVERY_S = 2.0

_started = False
_lock = threading.Lock()


class _MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
        "fordblks", "keepcost")]


def _glibc():
    """glibc's malloc functions, or None on another C library."""
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return None
    if not all(hasattr(libc, name) for name in ("mallopt", "malloc_trim", "mallinfo2")):
        return None
    libc.mallinfo2.restype = _MallInfo2
    libc.malloc_trim.argtypes = [ctypes.c_size_t]
    libc.mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    return libc


def free_held() -> int | None:
    """Bytes freed by the program but still held by glibc's allocator (None if not glibc)."""
    libc = _glibc()
    return None if libc is None else int(libc.mallinfo2().fordblks)


def release() -> bool:
    """Hand the allocator's free pages back to the system now (``malloc_trim(0)``); whether any
    were released (False if not glibc)."""
    libc = _glibc()
    return bool(libc and libc.malloc_trim(0))


def _trim_forever(libc, stop: threading.Event) -> None:
    baseline = int(libc.mallinfo2().fordblks)
    while not stop.wait(TRIM_EVERY_S):
        held = int(libc.mallinfo2().fordblks)
        if held > baseline + TRIM_SLACK:
            libc.malloc_trim(0)
            # What a trim cannot release (free chunks smaller than a page, between used ones)
            # stays counted: trim again only once that much more is held.
            baseline = int(libc.mallinfo2().fordblks)
        elif held < baseline:
            baseline = held


def tune_allocator() -> bool:
    """Apply the settings above once per process; whether this is glibc (settings applied)."""
    global _started
    with _lock:
        if _started:
            return True
        libc = _glibc()
        if libc is None:
            return False
        if not os.environ.get("MALLOC_ARENA_MAX"):
            libc.mallopt(M_ARENA_MAX, ARENAS)
        if not os.environ.get("MALLOC_MMAP_THRESHOLD_"):
            # fixed (mallopt turns glibc's moving threshold off): large arrays freed go back
            # to the system at once instead of staying in the heap
            libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)
        if not os.environ.get("ARROW_DEFAULT_MEMORY_POOL"):
            import pyarrow as pa

            pa.set_memory_pool(pa.system_memory_pool())
        threading.Thread(target=_trim_forever, args=(libc, threading.Event()), name="malloc-trim",
                         daemon=True).start()
        _started = True
        return True
