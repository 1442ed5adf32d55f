"""Deleting: one film, or all of a person's data; only one's own; gone from every list at once."""

from api_support import FORM, api, as_user, finished_film, firebase_api  # noqa: F401 (fixtures)


def test_a_deleted_film_is_gone_with_its_files(api, tmp_path):
    film_id = finished_film(api, tmp_path)
    kept = finished_film(api, tmp_path)
    api.post(f"/api/films/{film_id}/share")
    assert [f["id"] for f in api.get("/api/gallery").json()["films"]] == [film_id]

    response = api.delete(f"/api/films/{film_id}")
    assert response.status_code == 200 and response.json() == {"id": film_id, "deleted": True}
    assert api.get(f"/api/films/{film_id}").status_code == 404
    assert api.get(f"/api/films/{film_id}/video").status_code == 404
    assert [f["id"] for f in api.get("/api/films").json()["films"]] == [kept]
    assert api.get("/api/gallery").json()["films"] == []
    assert not (tmp_path / "films" / film_id).exists()
    assert (tmp_path / "films" / kept / "film.mp4").is_file()
    assert api.app.state.stores.requests.deletions() == [film_id]  # for the pipeline's clean-up sensor
    again = api.delete(f"/api/films/{film_id}")
    assert again.status_code == 404 and again.json()["detail"]


def test_a_film_being_made_can_be_deleted(api, tmp_path):
    film_id = api.post("/api/films", json=FORM).json()["id"]
    store = api.app.state.stores.requests
    store.claim_queued(limit=10)
    assert store.get(film_id).status == "running"
    assert api.delete(f"/api/films/{film_id}").status_code == 200
    assert store.get(film_id) is None and store.deletions() == [film_id]
    assert api.post("/api/films", json=FORM).status_code == 201  # no longer counts as active


def test_nobody_deletes_another_persons_film(firebase_api, as_user, tmp_path):
    ada = firebase_api.post("/api/films", json=FORM, headers=as_user("ada")).json()["id"]
    response = firebase_api.delete(f"/api/films/{ada}", headers=as_user("bob"))
    assert response.status_code == 404
    assert firebase_api.delete(f"/api/films/{ada}").status_code == 401
    assert firebase_api.get(f"/api/films/{ada}", headers=as_user("ada")).status_code == 200


def test_deleting_my_data_takes_every_film_of_mine_and_no_one_elses(firebase_api, as_user, tmp_path):
    mine = {firebase_api.post("/api/films", json=FORM, headers=as_user("ada")).json()["id"] for _ in range(3)}
    theirs = firebase_api.post("/api/films", json=FORM, headers=as_user("bob")).json()["id"]
    for film_id in mine:
        (tmp_path / "films" / film_id).mkdir(parents=True)
        (tmp_path / "films" / film_id / "script.json").write_text("{}")
    response = firebase_api.delete("/api/me", headers=as_user("ada"))
    assert response.status_code == 200 and response.json() == {"films_deleted": 3}
    assert firebase_api.get("/api/films", headers=as_user("ada")).json()["films"] == []
    assert not any((tmp_path / "films" / film_id).exists() for film_id in mine)
    assert [f["id"] for f in firebase_api.get("/api/films", headers=as_user("bob")).json()["films"]] == [theirs]
    assert set(firebase_api.app.state.stores.requests.deletions()) == mine
    assert firebase_api.delete("/api/me", headers=as_user("ada")).json() == {"films_deleted": 0}
    assert firebase_api.delete("/api/me").status_code == 401
