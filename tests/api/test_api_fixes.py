"""Asking for a part of a finished film to be redone; scenes, shots and thumbnails in its status."""

import os

import pytest
from api_support import api, as_user, firebase_api  # noqa: F401 (fixtures)

from dreamreel_assets.backends.writer.template import TemplateWriter
from dreamreel_assets.models import FilmRequest

FORM = {"genre": "mystery", "theme": "A lighthouse keeper finds a map", "style": "noir", "minutes": 5}


def _written(client, root, headers=None, done=True) -> tuple[str, object]:
    """A film whose script stage has run (script.json saved, title reported); done if `done`."""
    film_id = client.post("/api/films", json=FORM, headers=headers).json()["id"]
    script = TemplateWriter().write(FilmRequest.model_validate(FORM))
    folder = root / "films" / film_id
    (folder / "thumbnails").mkdir(parents=True)
    (folder / "script.json").write_text(script.model_dump_json())
    for shot in script.shots:
        (folder / "thumbnails" / f"{shot.id}.jpg").write_bytes(b"\xff\xd8\xff thumb " + shot.id.encode())
    store = client.app.state.stores.requests
    store.report_progress(film_id, "script", 1, 1, script.title)
    store.report_progress(film_id, "keyframes", 2, len(script.shots), script.shots[1].id)
    if done:
        store.set_status(film_id, "done", result={"video": "v"})
    return film_id, script


def test_status_shows_scenes_shots_and_the_thumbnails_drawn_so_far(api, tmp_path):
    film_id, script = _written(api, tmp_path, done=False)
    store = api.app.state.stores.requests
    store.set_status(film_id, "running")
    film = api.get(f"/api/films/{film_id}").json()
    assert film["title"] == script.title
    assert [s["index"] for s in film["scenes"]] == [s.index for s in script.scenes]
    shots = [shot for scene in film["scenes"] for shot in scene["shots"]]
    assert [s["id"] for s in shots] == [s.id for s in script.shots]
    drawn = [s for s in shots if s["thumbnail"]]
    assert [s["id"] for s in drawn] == [s.id for s in script.shots[:2]]
    picture = api.get(drawn[1]["thumbnail"])
    assert picture.status_code == 200 and picture.headers["content-type"] == "image/jpeg"
    assert picture.content.endswith(script.shots[1].id.encode())
    assert api.get(f"/api/films/{film_id}").json()["scenes"] == film["scenes"]  # stable URLs while polling

    store.set_status(film_id, "done", result={"video": "v"})
    finished = api.get(f"/api/films/{film_id}").json()
    assert all(shot["thumbnail"] for scene in finished["scenes"] for shot in scene["shots"])
    assert api.get(f"/api/films/{film_id}/thumbnails/..%2Fscript.json").status_code in (404, 422)


def test_a_fix_is_queued_listed_and_one_at_a_time(api, tmp_path):
    film_id, script = _written(api, tmp_path)
    shot = script.scenes[1].shots[0].id
    response = api.post(f"/api/films/{film_id}/fixes", json={"stage": "keyframes", "shot": shot, "note": "at dusk"})
    assert response.status_code == 202, response.text
    fix = response.json()
    assert (fix["stage"], fix["shot"], fix["scene"], fix["note"], fix["status"]) == ("keyframes", shot, None, "at dusk", "queued")
    film = api.get(f"/api/films/{film_id}").json()
    assert film["status"] == "queued" and [f["id"] for f in film["fixes"]] == [fix["id"]]
    assert film["urls"]["video"]  # the film stays playable while its part is redone
    again = api.post(f"/api/films/{film_id}/fixes", json={"stage": "music"})
    assert again.status_code == 409 and "queued" in again.json()["detail"]


@pytest.mark.parametrize(("body", "field"), [
    ({"stage": "keyframes"}, "body"),
    ({"stage": "narration", "shot": "s1-sh1"}, "body"),
    ({"stage": "music", "scene": 1}, "body"),
    ({"stage": "script", "scene": 1}, "stage"),
    ({"stage": "clips", "scene": 9}, "scene"),
    ({"stage": "clips", "shot": "s9-sh9"}, "shot"),
    ({"stage": "clips", "shot": "../../etc"}, "shot"),
    ({"stage": "clips", "scene": 1, "note": "x" * 301}, "note"),
    ({"stage": "clips", "scene": 1, "note": "bell\x07"}, "note"),
    ({"stage": "clips", "scene": 1, "take": 3}, "take"),
])
def test_bad_fixes_are_refused_naming_the_field(api, tmp_path, body, field):
    film_id, _ = _written(api, tmp_path)
    response = api.post(f"/api/films/{film_id}/fixes", json=body)
    assert response.status_code == 422, response.text
    assert field in [error["field"] for error in response.json()["detail"]]
    assert api.get(f"/api/films/{film_id}").json()["fixes"] == []


def test_a_film_not_finished_cannot_be_fixed(api, tmp_path):
    film_id, _ = _written(api, tmp_path, done=False)
    response = api.post(f"/api/films/{film_id}/fixes", json={"stage": "narration", "scene": 1})
    assert response.status_code == 409 and "queued" in response.json()["detail"]


def test_only_the_owner_may_fix_and_others_see_no_fixes(firebase_api, tmp_path, as_user):
    film_id, _ = _written(firebase_api, tmp_path, headers=as_user("ada"))
    fix = {"stage": "narration", "scene": 1}
    assert firebase_api.post(f"/api/films/{film_id}/fixes", json=fix).status_code == 401
    assert firebase_api.post(f"/api/films/{film_id}/fixes", json=fix, headers=as_user("bob")).status_code == 404
    firebase_api.post(f"/api/films/{film_id}/share", headers=as_user("ada"))
    assert firebase_api.post(f"/api/films/{film_id}/fixes", json=fix, headers=as_user("bob")).status_code == 404
    assert firebase_api.post(f"/api/films/{film_id}/fixes", json=fix, headers=as_user("ada")).status_code == 202
    seen = firebase_api.get(f"/api/films/{film_id}", headers=as_user("bob")).json()
    assert seen["mine"] is False and seen["fixes"] == [] and seen["scenes"]


def test_private_thumbnails_need_the_signed_url(firebase_api, tmp_path, as_user):
    film_id, script = _written(firebase_api, tmp_path, headers=as_user("ada"))
    film = firebase_api.get(f"/api/films/{film_id}", headers=as_user("ada")).json()
    signed = film["scenes"][0]["shots"][0]["thumbnail"]
    assert "sig=" in signed and firebase_api.get(signed).status_code == 200
    plain = f"/api/films/{film_id}/thumbnails/{script.shots[0].id}"
    assert firebase_api.get(plain).status_code == 404
    assert firebase_api.get(plain, headers=as_user("bob")).status_code == 404
    other = signed.replace(script.shots[0].id, script.shots[1].id)  # a signature is for one file
    assert firebase_api.get(other).status_code == 404


def test_config_tells_the_client_how_to_sign_in(api, firebase_api):
    assert api.get("/api/config").json() == {"auth": "local", "firebase": None}
    config = firebase_api.get("/api/config").json()
    assert config["auth"] == "firebase" and config["firebase"]["projectId"] == "demo-dreamreel"


def test_scripts_kept_in_memory_are_bounded_and_follow_the_file(api, tmp_path, monkeypatch):
    import dreamreel_api.deps as deps

    monkeypatch.setattr(deps, "SCRIPTS_KEPT", 2)
    stores = api.app.state.stores
    films = [_written(api, tmp_path) for _ in range(3)]
    for film_id, _ in films:
        assert api.get(f"/api/films/{film_id}").json()["scenes"]
    assert list(stores._scripts) == [films[1][0], films[2][0]]  # the oldest read went first

    film_id, script = films[2]
    renamed = script.model_copy(update={"scenes": [s.model_copy(update={"title": "Renamed"}) for s in script.scenes]})
    path = tmp_path / "films" / film_id / "script.json"
    path.write_text(renamed.model_dump_json())
    os.utime(path, ns=(path.stat().st_mtime_ns + 10**9,) * 2)  # a re-run of the script stage
    assert {s["title"] for s in api.get(f"/api/films/{film_id}").json()["scenes"]} == {"Renamed"}
