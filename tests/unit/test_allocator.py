"""The server's malloc settings (ui/allocator.py), checked in a fresh Python process each."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc only")


def _python(code: str, **env: str) -> str:
    import os

    done = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True,
                          timeout=120, env={**os.environ, **env})
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_importing_the_page_guard_tunes_the_allocator_once():
    out = _python("import threading, pyarrow as pa, ui.page; from ui.allocator import tune_allocator; "
                  "tune_allocator(); tune_allocator(); "
                  "print(pa.default_memory_pool().backend_name, "
                  "sum(t.name == 'malloc-trim' for t in threading.enumerate()))")
    assert out == "system 1"  # pyarrow through glibc, and one trimmer thread however often called


def test_a_memory_pool_chosen_before_the_start_is_kept():
    out = _python("import pyarrow as pa, ui.allocator as a; a.tune_allocator(); "
                  "print(pa.default_memory_pool().backend_name)", ARROW_DEFAULT_MEMORY_POOL="mimalloc")
    assert out == "mimalloc"


def test_release_hands_memory_freed_inside_the_heap_back_to_the_system():
    # 64 MB in 64 KB blocks (below glibc's mmap threshold: they come from the heap), a block
    # kept above them so the heap's top cannot shrink by itself, then all but that one freed.
    out = _python("""
import ui.allocator as a
def rss():
    return int(open('/proc/self/status').read().split('VmRSS:')[1].split()[0]) // 1024
blocks = [bytearray(b'x' * 65536) for _ in range(1024)]
pin = bytearray(b'y' * 65536)
del blocks
held, before = a.free_held(), rss()
released = a.release()
print(held // 2**20, before - rss(), released)
""")
    held, dropped, released = out.split()
    assert int(held) >= 60 and released == "True"
    assert int(dropped) >= 48  # MB given back to the system


@pytest.mark.parametrize("tuned", [True, False], ids=["tuned", "threshold set before the start"])
def test_large_arrays_freed_go_back_to_the_system_at_once(tuned):
    # glibc's moving threshold: once a 16 MB block is freed, 1 MB blocks come from the heap and
    # stay with the process when freed (a small block above them pins the heap's top). Fixed
    # at 128 KiB, each has pages of its own, unmapped at its free: no trim needed.
    out = _python("""
import ui.allocator as a
a.tune_allocator()
def rss():
    return int(open('/proc/self/status').read().split('VmRSS:')[1].split()[0]) // 1024
big = bytearray(b'x' * 16 * 2**20)
del big
blocks = [bytearray(b'x' * 2**20) for _ in range(48)]
pin = bytearray(b'y' * 1024)
before = rss()
del blocks
print(before - rss())
""", **({} if tuned else {"MALLOC_MMAP_THRESHOLD_": "131072"}))
    assert int(out) >= 44  # of the 48 MB, given back as the blocks were freed (glibc alone: 32)
