"""The request store contract, run against every implementation (SQLite here, Firestore beside it)."""

import threading
import time

import pytest

from dreamreel_assets.stores.requests import PageMark, DuplicateRequest

GOOD = {"genre": "mystery", "theme": "A lighthouse keeper finds a map", "style": "noir", "minutes": 5}


def test_submit_then_get_round_trips(request_store):
    record = request_store.submit(GOOD, user_id="ada")
    again = request_store.get(record.id)
    assert again.status == "queued" and again.user_id == "ada" and again.fields == GOOD
    assert again.request.genre == "mystery"
    assert request_store.get("no-such-request") is None


def test_duplicate_id_is_refused_unless_replaced(request_store):
    request_store.submit(GOOD, request_id="dup-1")
    with pytest.raises(DuplicateRequest):
        request_store.submit(GOOD, request_id="dup-1")
    assert request_store.submit({**GOOD, "minutes": 6}, request_id="dup-1", replace=True).fields["minutes"] == 6


def test_claims_are_oldest_first_and_exactly_once(request_store):
    ids = [request_store.submit(GOOD).id for _ in range(5)]
    first = request_store.claim_queued(limit=3)
    second = request_store.claim_queued(limit=10)
    claimed = [r.id for r in first + second]
    assert [r.id for r in first] == ids[:3]
    assert sorted(claimed) == sorted(ids) and len(set(claimed)) == 5
    assert all(r.status == "running" for r in first + second)
    assert request_store.claim_queued(limit=10) == []


def test_concurrent_claimers_never_share_a_request(request_store):
    ids = {request_store.submit(GOOD).id for _ in range(40)}
    results: list[list[str]] = []

    def claimer():
        mine = []
        while batch := request_store.claim_queued(limit=3):
            mine += [r.id for r in batch]
        results.append(mine)

    threads = [threading.Thread(target=claimer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    everything = [i for mine in results for i in mine]
    assert len(everything) == len(set(everything))
    assert ids <= set(everything)


def test_bad_fields_are_kept_as_sent(request_store):
    record = request_store.submit({"genre": "western-opera", "minutes": "five"})
    assert request_store.get(record.id).fields == {"genre": "western-opera", "minutes": "five"}


def test_progress_status_and_results_are_written_back(request_store):
    record = request_store.submit(GOOD)
    request_store.report_progress(record.id, "keyframes", 7, 24, "s2-sh1")
    request_store.report_progress(record.id, "clips", 0, 24)
    request_store.mark_started(record.id, "run-123")
    request_store.set_status(record.id, "done", result={"video": "films/x/film.mp4"})
    done = request_store.get(record.id)
    assert done.progress["keyframes"].done == 7 and done.progress["keyframes"].total == 24
    assert set(done.progress) == {"keyframes", "clips"}
    assert done.run_id == "run-123" and done.status == "done" and done.result == {"video": "films/x/film.mp4"}
    request_store.set_status(record.id, "failed", error="keyframes: out of memory")
    assert request_store.get(record.id).error == "keyframes: out of memory"


def test_claims_whose_run_never_started_are_found(request_store):
    started, orphan = request_store.submit(GOOD), request_store.submit(GOOD)
    request_store.claim_queued(limit=10)
    request_store.mark_started(started.id, "run-1")
    time.sleep(0.05)
    assert [r.id for r in request_store.unstarted_claims(older_than_s=0.01)] == [orphan.id]
    assert request_store.unstarted_claims(older_than_s=3600) == []


def test_a_users_requests_are_listed_newest_first(request_store):
    ada = [request_store.submit(GOOD, user_id="ada").id for _ in range(3)]
    request_store.submit(GOOD, user_id="bob")
    listed = request_store.list_for_user("ada")
    assert [r.id for r in listed] == ada[::-1]
    assert all(r.user_id == "ada" for r in listed)
    assert [r.id for r in request_store.list_for_user("ada", limit=2)] == ada[:0:-1]
    assert request_store.list_for_user("nobody") == []


def test_pages_follow_each_other_without_gaps_or_repeats(request_store):
    ada = [request_store.submit(GOOD, user_id="ada").id for _ in range(5)]
    for request_id in ada[:4]:
        request_store.set_shared(request_id, True)
    pages, after = [], None
    while True:
        page = request_store.list_for_user("ada", limit=2, after=after)
        if not page:
            break
        pages.append([r.id for r in page])
        after = PageMark.decode(PageMark.after(page[-1]).encode())  # as the API hands it out and back
    assert pages == [ada[4:2:-1], ada[2:0:-1], ada[:1]]
    shared = request_store.list_shared(limit=3)
    rest = request_store.list_shared(limit=3, after=PageMark.after(shared[-1]))
    assert [r.id for r in shared + rest] == ada[3::-1]


def test_active_requests_are_counted_per_user(request_store):
    ada = [request_store.submit(GOOD, user_id="ada") for _ in range(3)]
    request_store.submit(GOOD, user_id="bob")
    assert request_store.count_active("ada") == 3
    request_store.claim_queued(limit=1)  # running still counts
    request_store.set_status(ada[1].id, "done")
    request_store.set_status(ada[2].id, "failed", error="no")
    assert request_store.count_active("ada") == 1 and request_store.count_active("nobody") == 0


def test_a_cursor_not_made_by_the_api_is_refused():
    for bogus in ["", "abc", "%%%", PageMark.after.__name__, "MjAyNi0xMi0wMXxh"]:  # the last: no zone
        with pytest.raises(ValueError, match="is not a cursor this API gave"):
            PageMark.decode(bogus)


def test_sharing_puts_a_request_in_the_shared_list(request_store):
    first, second, private = (request_store.submit(GOOD, user_id=user) for user in ("ada", "bob", "ada"))
    assert request_store.get(first.id).shared is False and request_store.list_shared() == []
    request_store.set_shared(first.id, True)
    request_store.set_shared(second.id, True)
    assert request_store.get(first.id).shared is True
    assert [r.id for r in request_store.list_shared()] == [second.id, first.id]
    assert [r.id for r in request_store.list_shared(limit=1)] == [second.id]
    request_store.set_shared(second.id, False)
    assert [r.id for r in request_store.list_shared()] == [first.id]
    assert request_store.get(private.id).shared is False
    request_store.set_shared("no-such-request", True)  # changes nothing, raises nothing
    assert request_store.get("no-such-request") is None


def test_sharing_keeps_the_rest_of_the_request(request_store):
    record = request_store.submit(GOOD, user_id="ada")
    request_store.set_status(record.id, "done", result={"video": "films/x/film.mp4"})
    request_store.set_shared(record.id, True)
    again = request_store.get(record.id)
    assert again.status == "done" and again.result == {"video": "films/x/film.mp4"} and again.fields == GOOD


def test_a_sqlite_file_from_before_sharing_gains_the_column(tmp_path):
    import sqlite3

    from dreamreel_assets.stores.sqlite import SqliteRequestStore

    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as db:
        db.executescript(SqliteRequestStore._SCHEMA.replace(",\n        shared INTEGER NOT NULL DEFAULT 0", ""))
        db.execute("INSERT INTO requests (id, user_id, fields, status, created_at, updated_at)"
                   " VALUES ('old-1', 'ada', '{}', 'done', '2025-01-01T00:00:00+00:00', '2025-01-01T00:00:00+00:00')")
        assert "shared" not in {row[1] for row in db.execute("PRAGMA table_info(requests)")}
    store = SqliteRequestStore(path)
    assert store.get("old-1").shared is False and [r.id for r in store.list_for_user("ada")] == ["old-1"]
    store.set_shared("old-1", True)
    assert [r.id for r in store.list_shared()] == ["old-1"]
    SqliteRequestStore(path)  # opening it again changes nothing


def test_a_fix_queues_a_finished_film_again_and_is_kept(request_store):
    from dreamreel_assets.models import FixRequest
    from dreamreel_assets.stores.requests import FilmBusy

    record = request_store.submit(GOOD)
    fix = FixRequest(stage="keyframes", shot="s2-sh1", note="the lamp lit")
    with pytest.raises(FilmBusy):  # still queued: nothing to fix yet
        request_store.request_fix(record.id, fix)
    with pytest.raises(FilmBusy):
        request_store.request_fix("no-such-film", fix)
    request_store.claim_queued(limit=10)
    request_store.mark_started(record.id, "run-1")
    request_store.set_status(record.id, "done", result={"video": "v"})

    made = request_store.request_fix(record.id, fix)
    again = request_store.get(record.id)
    assert again.status == "queued" and again.run_id is None and again.result == {"video": "v"}
    assert [f.id for f in again.fixes] == [made.id] and again.active_fix == made
    assert (made.stage, made.shot, made.note, made.status) == ("keyframes", "s2-sh1", "the lamp lit", "queued")
    with pytest.raises(FilmBusy):  # one fix at a time
        request_store.request_fix(record.id, FixRequest(stage="music"))

    assert [r.id for r in request_store.claim_queued(limit=10)] == [record.id]
    request_store.set_fix_status(record.id, made.id, "failed", error="keyframes: out of memory")
    request_store.set_status(record.id, "done")
    kept = request_store.get(record.id)
    assert kept.active_fix is None and kept.fixes[0].status == "failed"
    assert kept.fixes[0].error == "keyframes: out of memory"
    second = request_store.request_fix(record.id, FixRequest(stage="narration", scene=2))
    assert [f.id for f in request_store.get(record.id).fixes] == [made.id, second.id]

    from dreamreel_assets.stores.requests import new_fix

    done = new_fix(FixRequest(stage="music")).model_copy(update={"status": "done"})
    request_store.record_fix(record.id, done)  # a redo made from the Dagster UI: nothing queued
    after = request_store.get(record.id)
    assert [f.id for f in after.fixes] == [made.id, second.id, done.id] and after.fixes[-1] == done
    assert after.status == "queued"  # as the API's fix left it


def test_queue_estimates_are_kept_until_the_film_ends(request_store):
    from datetime import datetime, timedelta, timezone

    from dreamreel_assets.stores.requests import QueueEstimate

    record = request_store.submit(GOOD, user_id="ada")
    request_store.claim_queued(limit=10)
    now = datetime.now(timezone.utc).replace(microsecond=0)
    estimate = QueueEstimate(position=2, estimated_start=now + timedelta(minutes=3),
                             estimated_finish=now + timedelta(minutes=5), measured_films=4, updated_at=now)
    request_store.set_queue(record.id, estimate)
    kept = request_store.get(record.id).queue
    assert kept.position == 2 and kept.measured_films == 4
    assert kept.estimated_finish - kept.estimated_start == timedelta(minutes=2)
    request_store.set_status(record.id, "running")
    assert request_store.get(record.id).queue is not None
    request_store.set_status(record.id, "done")
    assert request_store.get(record.id).queue is None
    request_store.set_queue("no-such-request", estimate)  # an unknown id changes nothing
    assert request_store.get("no-such-request") is None


def test_running_requests_are_listed_for_the_stale_run_sensor(request_store):
    first, second, _waiting = (request_store.submit({"theme": t}) for t in ("one", "two", "three"))
    request_store.claim_queued(limit=2)
    request_store.set_status(second.id, "done")
    assert [record.id for record in request_store.running()] == [first.id]


def test_deleting_a_request_removes_it_everywhere_and_leaves_a_mark(request_store):
    kept = request_store.submit({"theme": "kept"}, user_id="ada")
    gone = request_store.submit({"theme": "gone"}, user_id="ada")
    request_store.set_shared(gone.id, True)
    assert request_store.delete(gone.id) is True
    assert request_store.get(gone.id) is None
    assert [r.id for r in request_store.list_for_user("ada")] == [kept.id]
    assert request_store.list_shared() == []
    assert request_store.deletions() == [gone.id]
    assert request_store.delete(gone.id) is False  # already gone
    assert request_store.delete("no-such-film") is False
    request_store.forget_deletion(gone.id)
    assert request_store.deletions() == []


def test_deleting_a_user_takes_all_their_requests_and_only_theirs(request_store):
    theirs = {request_store.submit({"theme": f"film {n}"}, user_id="bob").id for n in range(3)}
    other = request_store.submit({"theme": "someone else's"}, user_id="cy")
    request_store.claim_queued(limit=1)  # one of them being made: deleted all the same
    assert set(request_store.delete_user("bob")) == theirs
    assert request_store.list_for_user("bob") == []
    assert request_store.count_active("bob") == 0
    assert set(request_store.deletions()) == theirs
    assert request_store.get(other.id) is not None
    assert request_store.delete_user("bob") == []


def _version(number: int, **fields):
    from datetime import datetime, timezone

    from dreamreel_assets.stores.requests import CutVersion

    return CutVersion(number=number, created_at=datetime(2025, 1, 1, tzinfo=timezone.utc), **fields)


def test_versions_of_the_cut_are_added_updated_and_published(request_store):
    film = request_store.submit(GOOD)
    request_store.save_version(film.id, _version(1, duration_s=20.5))
    request_store.save_version(film.id, _version(1, status="passed", duration_s=20.5), result={"video": "v1"})
    request_store.save_version(film.id, _version(2))
    record = request_store.get(film.id)
    assert [(v.number, v.status) for v in record.versions] == [(1, "passed"), (2, "checking")]
    assert record.result == {"video": "v1"} and record.playing_version.number == 1
    assert record.versions[0].duration_s == 20.5 and record.versions[0].created_at.year == 2025

    # Two checks fail in parallel steps: both are kept, neither overwrites the other.
    request_store.save_version(film.id, _version(2, status="failed", failed_checks=["no_clipping"], reason="a"))
    request_store.save_version(film.id, _version(2, status="failed", failed_checks=["audio_video_in_sync"], reason="b"))
    [_, failed] = request_store.get(film.id).versions
    assert (failed.status, failed.failed_checks, failed.reason) == ("failed", ["no_clipping", "audio_video_in_sync"], "a; b")
    assert request_store.get(film.id).result == {"video": "v1"}  # the film shown stays as it was
    request_store.save_version("no-such-film", _version(1))
    assert request_store.get("no-such-film") is None


def test_every_request_id_is_listed(request_store):
    ids = {request_store.submit(GOOD, user_id=user).id for user in ("ada", "bob")}
    assert set(request_store.all_ids()) >= ids  # (the Firestore emulator's collection is shared)
    request_store.delete(next(iter(ids)))
    assert next(iter(ids)) not in request_store.all_ids()


def test_a_sqlite_file_from_before_versions_gains_the_column(tmp_path):
    import sqlite3

    from dreamreel_assets.stores.sqlite import SqliteRequestStore

    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as db:
        db.executescript(SqliteRequestStore._SCHEMA.replace(",\n        versions TEXT NOT NULL DEFAULT '[]'", ""))
        db.execute("INSERT INTO requests (id, user_id, fields, status, created_at, updated_at)"
                   " VALUES ('old-1', 'ada', '{}', 'done', '2025-01-01T00:00:00+00:00', '2025-01-01T00:00:00+00:00')")
        assert "versions" not in {row[1] for row in db.execute("PRAGMA table_info(requests)")}
    store = SqliteRequestStore(path)
    assert store.get("old-1").versions == [] and store.get("old-1").playing_version is None
    store.save_version("old-1", _version(1, status="passed"))
    assert [v.number for v in SqliteRequestStore(path).get("old-1").versions] == [1]
