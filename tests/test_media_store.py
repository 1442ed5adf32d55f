"""The media store contract, run against every implementation (a local directory, Firebase Storage)."""

import urllib.request

import pytest

from dreamreel_assets.stores.media import sha256_of


def put(store, key: str, data: bytes):
    path = store.writable_path(key)
    path.write_bytes(data)
    return store.commit(key)


def test_commit_then_read_back(media_store):
    ref = put(media_store, "films/f1/keyframes/s1-sh1.png", b"picture bytes")
    assert ref.key == "films/f1/keyframes/s1-sh1.png"
    assert media_store.local_path(ref).read_bytes() == b"picture bytes"
    assert ref.sha256 == sha256_of(media_store.local_path(ref))


def test_existing_finds_committed_work_only(media_store):
    assert media_store.existing("films/f1/clips/none.mp4") is None
    ref = put(media_store, "films/f1/clips/s1-sh1.mp4", b"clip")
    assert media_store.existing("films/f1/clips/s1-sh1.mp4") == ref


def test_url_serves_the_bytes(media_store):
    ref = put(media_store, "films/f2/film.mp4", b"\x00\x01film")
    url = media_store.url(ref)
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.read() == b"\x00\x01film"


def test_keys_cannot_escape_the_store(media_store):
    with pytest.raises(ValueError):
        media_store.writable_path("../outside.txt")


def test_a_file_being_written_is_not_existing_until_committed(media_store):
    """A worker killed mid-write leaves nothing that a retry would take for finished work."""
    key = "films/f3/clips/s1-sh2.mp4"
    media_store.writable_path(key).write_bytes(b"half a cl")
    assert media_store.existing(key) is None
    ref = put(media_store, key, b"a whole clip")
    assert media_store.existing(key) == ref
    media_store.writable_path(key).write_bytes(b"a new take, half writ")  # redone, not yet committed
    assert media_store.local_path(media_store.existing(key)).read_bytes() == b"a whole clip"
    assert media_store.local_path(put(media_store, key, b"the new take")).read_bytes() == b"the new take"


def test_a_committed_file_truncated_later_is_not_reused(media_store):
    ref = put(media_store, "films/f3/clips/s1-sh1.mp4", b"a whole clip" * 100)
    media_store.local_path(ref).write_bytes(b"a whole")  # a crash or a full disk left half of it
    if type(media_store).__name__ == "LocalMediaStore":
        assert media_store.existing(ref.key) is None  # made again, never reused
    else:  # the cloud copy is whole: the cached copy is fetched again
        assert media_store.local_path(media_store.existing(ref.key)).read_bytes() == b"a whole clip" * 100


def test_files_lists_committed_files_under_a_prefix(media_store):
    put(media_store, "films/f4/film.mp4", b"film")
    put(media_store, "films/f4/keyframes/s1-sh1.png", b"frame")
    put(media_store, "films/f40/film.mp4", b"another film")  # shares the text, not the folder
    media_store.writable_path("films/f4/clips/s1-sh1.mp4").write_bytes(b"half")  # never committed
    listed = {stored.key: stored.size for stored in media_store.files("films/f4/")}
    assert listed == {"films/f4/film.mp4": 4, "films/f4/keyframes/s1-sh1.png": 5}


def test_remove_takes_a_films_files_and_nothing_else(media_store):
    kept = put(media_store, "films/f50/film.mp4", b"kept")
    put(media_store, "films/f5/film.mp4", b"gone")
    put(media_store, "films/f5/clips/s1-sh1.mp4", b"gone too")
    assert media_store.remove("films/f5/") == 2
    assert list(media_store.files("films/f5/")) == []
    assert media_store.existing("films/f5/film.mp4") is None
    assert media_store.local_path(kept).read_bytes() == b"kept"
    assert media_store.remove("films/f5/") == 0  # twice is harmless


def test_remove_one_file(media_store):
    put(media_store, "films/f6/v1/film.mp4", b"old")
    put(media_store, "films/f6/v2/film.mp4", b"new")
    assert media_store.remove("films/f6/v1/film.mp4") == 1
    assert [stored.key for stored in media_store.files("films/f6/")] == ["films/f6/v2/film.mp4"]
