"""Returning freed memory to the operating system (glibc's malloc_trim)."""

from __future__ import annotations

import platform

import pytest

from kwextract.memory import _libc, release_free_memory


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="malloc_trim is glibc's")
def test_glibc_is_found_and_trimming_keeps_live_data():
    assert _libc() is not None
    kept = [bytes([i % 256]) * 1000 for i in range(2000)]
    freed = [bytearray(200_000) for _ in range(50)]
    del freed
    release_free_memory()
    assert all(block[0] == i % 256 and len(block) == 1000 for i, block in enumerate(kept))


def test_trimming_is_harmless_without_glibc(monkeypatch):
    _libc.cache_clear()
    monkeypatch.setattr("ctypes.util.find_library", lambda name: "no-such-libc.so")
    try:
        assert _libc() is None
        release_free_memory()  # does nothing
    finally:
        _libc.cache_clear()
