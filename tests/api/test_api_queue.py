"""A film's place in the run queue and its estimated times: on the film's status (and in my films)
while it waits or is made, as the sensor left them in the store; never on a finished film."""

from datetime import datetime, timedelta, timezone

from api_support import api, as_user, firebase_api  # noqa: F401 (fixtures)

from dreamreel_assets.stores.requests import QueueEstimate

FORM = {"genre": "fantasy", "theme": "A shy dragon opens a bakery", "style": "storybook", "minutes": 5}
NOW = datetime(2025, 1, 1, 10, 0, tzinfo=timezone.utc)


def _estimate(position=2, measured_films=5) -> QueueEstimate:
    return QueueEstimate(position=position, estimated_start=NOW + timedelta(minutes=4),
                         estimated_finish=NOW + timedelta(minutes=12), measured_films=measured_films,
                         updated_at=NOW)


def _waiting(client, headers=None) -> str:
    """A film the sensor claimed (status running) whose run waits in the queue, 2nd in line."""
    film_id = client.post("/api/films", json=FORM, headers=headers).json()["id"]
    store = client.app.state.stores.requests
    store.claim_queued(limit=10)
    store.set_queue(film_id, _estimate())
    return film_id


def _times(queue: dict) -> dict:
    return {key: datetime.fromisoformat(queue[key].replace("Z", "+00:00"))
            for key in ("estimated_start", "estimated_finish", "updated_at")}


def test_a_waiting_film_shows_its_place_and_times(api):
    film_id = _waiting(api)
    response = api.get(f"/api/films/{film_id}")
    assert response.status_code == 200 and response.headers["cache-control"] == "no-store"
    film = response.json()
    assert film["status"] == "running"
    queue = film["queue"]
    assert set(queue) == {"position", "estimated_start", "estimated_finish", "measured_films", "updated_at"}
    assert queue["position"] == 2 and queue["measured_films"] == 5
    assert _times(queue) == {"estimated_start": NOW + timedelta(minutes=4),
                             "estimated_finish": NOW + timedelta(minutes=12), "updated_at": NOW}
    listed = api.get("/api/films").json()["films"]
    assert [f["queue"] for f in listed] == [queue]


def test_a_film_being_made_and_a_first_guess(api):
    film_id = _waiting(api)
    store = api.app.state.stores.requests
    store.set_queue(film_id, QueueEstimate(position=0, estimated_start=NOW, estimated_finish=None,
                                           measured_films=0, updated_at=NOW))
    queue = api.get(f"/api/films/{film_id}").json()["queue"]
    assert queue["position"] == 0 and queue["measured_films"] == 0 and queue["estimated_finish"] is None


def test_without_an_estimate_the_queue_is_null(api):
    film_id = api.post("/api/films", json=FORM).json()["id"]
    assert api.get(f"/api/films/{film_id}").json()["queue"] is None
    api.app.state.stores.requests.claim_queued(limit=10)
    assert api.get(f"/api/films/{film_id}").json()["queue"] is None
    assert api.get("/api/films").json()["films"][0]["queue"] is None


def test_the_estimate_is_gone_once_the_film_ends(api):
    done_id, failed_id = _waiting(api), _waiting(api)
    store = api.app.state.stores.requests
    store.set_status(done_id, "done", result={"video": "v"})
    store.set_status(failed_id, "failed", error="clips: out of memory")
    for film_id in (done_id, failed_id):
        assert api.get(f"/api/films/{film_id}").json()["queue"] is None
    assert [f["queue"] for f in api.get("/api/films").json()["films"]] == [None, None]


def test_a_left_over_estimate_is_not_shown_on_a_finished_film(api):
    """Whoever wrote the document, a done film is not waiting: its estimate is not shown."""
    film_id = _waiting(api)
    store = api.app.state.stores.requests
    finished = store.get(film_id).model_copy(update={"status": "done"})
    store.get = lambda request_id: finished if request_id == film_id else None
    assert api.get(f"/api/films/{film_id}").json()["queue"] is None


def test_the_queue_is_seen_as_the_film_is(firebase_api, as_user):
    film_id = _waiting(firebase_api, headers=as_user("ada"))
    assert firebase_api.get(f"/api/films/{film_id}", headers=as_user("ada")).json()["queue"]["position"] == 2
    assert firebase_api.get(f"/api/films/{film_id}", headers=as_user("bob")).status_code == 404
    assert firebase_api.get(f"/api/films/{film_id}").status_code == 401
    assert firebase_api.get("/api/films", headers=as_user("bob")).json()["films"] == []

    firebase_api.post(f"/api/films/{film_id}/share", headers=as_user("ada"))
    seen = firebase_api.get(f"/api/films/{film_id}", headers=as_user("bob")).json()
    assert seen["mine"] is False and seen["queue"]["position"] == 2  # as its status and progress are


def test_a_naive_time_in_the_store_is_answered_as_utc(api):
    film_id = _waiting(api)
    store = api.app.state.stores.requests
    naive = QueueEstimate(position=1, estimated_start=datetime(2025, 1, 1, 10, 4),
                          estimated_finish=datetime(2025, 1, 1, 10, 12), updated_at=datetime(2025, 1, 1, 10, 0))
    store.set_queue(film_id, naive)
    queue = api.get(f"/api/films/{film_id}").json()["queue"]
    assert _times(queue)["estimated_start"] == NOW + timedelta(minutes=4)
