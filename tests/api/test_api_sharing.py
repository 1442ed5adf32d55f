"""Firebase auth mode: two users minted as unsigned emulator tokens; private films, sharing, gallery."""

import json

from api_support import api, as_user, firebase_api, mint_token  # noqa: F401 (fixtures)

FORM = {"genre": "fantasy", "theme": "A shy dragon opens a bakery", "style": "storybook", "minutes": 5}


def _finish(client, film_id, tmp_path):
    """What the pipeline leaves behind: files under films/<id>/ and a done request with results."""
    folder = tmp_path / "films" / film_id
    folder.mkdir(parents=True)
    (folder / "film.mp4").write_bytes(bytes(range(256)) * 40)
    (folder / "poster.jpg").write_bytes(b"\xff\xd8\xff poster")
    (folder / "film.vtt").write_text("WEBVTT\n\n00:00.000 --> 00:01.000\nHello\n")
    (folder / "film.srt").write_text("1\n00:00:00,000 --> 00:00:01,000\nHello\n")
    client.app.state.stores.requests.set_status(film_id, "done", result={
        "video": (folder / "film.mp4").as_uri(), "poster": (folder / "poster.jpg").as_uri(),
        "subtitles": (folder / "film.vtt").as_uri(), "srt": (folder / "film.srt").as_uri(),
    })


def test_without_a_valid_token_the_api_answers_401(firebase_api):
    for method, path in [("GET", "/api/films"), ("POST", "/api/films"), ("GET", "/api/films/abc"),
                         ("POST", "/api/films/abc/share")]:
        response = firebase_api.request(method, path, json=FORM if method == "POST" else None)
        assert response.status_code == 401, (method, path)
        assert response.headers["www-authenticate"] == "Bearer" and response.json()["detail"]
    # (expiry is not checked for unsigned emulator tokens, so it is not tested here)
    for token in ["garbage", "a.b.c", mint_token("ada", project="someone-elses-project")]:
        response = firebase_api.get("/api/films", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401, token
    assert firebase_api.get("/api/options").status_code == 200  # the form and gallery are public
    assert firebase_api.get("/api/gallery").status_code == 200


def test_each_user_sees_only_their_own_films(firebase_api, as_user):
    ada = firebase_api.post("/api/films", json=FORM, headers=as_user("ada")).json()["id"]
    bob = firebase_api.post("/api/films", json=FORM, headers=as_user("bob")).json()["id"]
    assert firebase_api.app.state.stores.requests.get(ada).user_id == "ada"
    assert [f["id"] for f in firebase_api.get("/api/films", headers=as_user("ada")).json()["films"]] == [ada]
    assert [f["id"] for f in firebase_api.get("/api/films", headers=as_user("bob")).json()["films"]] == [bob]


def test_a_private_film_is_missing_for_others_until_shared(firebase_api, as_user, tmp_path):
    film_id = firebase_api.post("/api/films", json=FORM, headers=as_user("ada")).json()["id"]
    _finish(firebase_api, film_id, tmp_path)
    assert firebase_api.get(f"/api/films/{film_id}", headers=as_user("ada")).json()["mine"] is True
    assert firebase_api.get(f"/api/films/{film_id}", headers=as_user("bob")).status_code == 404
    assert firebase_api.get(f"/api/films/{film_id}/video", headers=as_user("bob")).status_code == 404
    assert firebase_api.get(f"/api/films/{film_id}/video").status_code == 404
    assert firebase_api.get("/api/gallery").json()["films"] == []

    # only the owner shares (others get 404, as if the film did not exist)
    assert firebase_api.post(f"/api/films/{film_id}/share", headers=as_user("bob")).status_code == 404
    shared = firebase_api.post(f"/api/films/{film_id}/share", headers=as_user("ada"))
    assert shared.status_code == 200 and shared.json() == {"id": film_id, "shared": True}

    seen = firebase_api.get(f"/api/films/{film_id}", headers=as_user("bob"))
    assert seen.status_code == 200 and seen.json()["mine"] is False and seen.json()["shared"] is True
    assert firebase_api.get(f"/api/films/{film_id}/video").status_code == 200  # anyone, once shared
    assert [f["id"] for f in firebase_api.get("/api/films", headers=as_user("bob")).json()["films"]] == []
    assert firebase_api.delete(f"/api/films/{film_id}/share", headers=as_user("bob")).status_code == 404

    unshared = firebase_api.delete(f"/api/films/{film_id}/share", headers=as_user("ada"))
    assert unshared.json() == {"id": film_id, "shared": False}
    assert firebase_api.get(f"/api/films/{film_id}", headers=as_user("bob")).status_code == 404


def test_the_gallery_lists_finished_shared_films_only_and_no_user_ids(firebase_api, as_user, tmp_path):
    ids = {}
    for name, user in [("shared", "ada"), ("private", "ada"), ("unfinished", "bob"), ("newest", "bob")]:
        ids[name] = firebase_api.post("/api/films", json={**FORM, "theme": f"The {name} film"},
                                      headers=as_user(user)).json()["id"]
    for name in ("shared", "private", "newest"):
        _finish(firebase_api, ids[name], tmp_path)
    for name, user in [("shared", "ada"), ("unfinished", "bob"), ("newest", "bob")]:
        firebase_api.post(f"/api/films/{ids[name]}/share", headers=as_user(user))

    response = firebase_api.get("/api/gallery")  # no token needed
    assert response.status_code == 200
    films = response.json()["films"]
    assert [f["id"] for f in films] == [ids["newest"], ids["shared"]]
    assert films[1]["theme"] == "The shared film" and films[1]["urls"]["video"] == f"/api/films/{ids['shared']}/video"
    text = json.dumps(response.json())
    for film_id in ids.values():  # ids are random hex, which may spell "ada" by chance
        text = text.replace(film_id, "<id>")
    assert "user" not in text and "ada" not in text and "bob" not in text and "file://" not in text
    for film in films:
        assert set(film) == {"id", "genre", "style", "theme", "minutes", "aspect", "language", "subtitles", "created_at", "title", "urls"}
        assert firebase_api.get(film["urls"]["poster"]).status_code == 200


def test_private_media_urls_are_signed_for_the_owner(firebase_api, as_user, tmp_path):
    film_id = firebase_api.post("/api/films", json=FORM, headers=as_user("ada")).json()["id"]
    _finish(firebase_api, film_id, tmp_path)
    urls = firebase_api.get(f"/api/films/{film_id}", headers=as_user("ada")).json()["urls"]
    assert urls["video"].startswith(f"/api/films/{film_id}/video?exp=") and "&sig=" in urls["video"]
    video = firebase_api.get(urls["video"])  # as a <video> element loads it: no Authorization header
    assert video.status_code == 200 and video.headers["content-type"] == "video/mp4"
    subtitles = firebase_api.get(urls["subtitles"])
    assert subtitles.status_code == 200 and subtitles.text.startswith("WEBVTT")
    assert subtitles.headers["content-type"].startswith("text/vtt")
    srt = firebase_api.get(urls["srt"])
    assert srt.status_code == 200 and srt.text.startswith("1\n00:00:00,000 --> ")
    assert firebase_api.get(urls["srt"].split("?")[0]).status_code == 404  # unsigned, not signed in
    assert firebase_api.get(urls["srt"].split("?")[0], headers=as_user("bob")).status_code == 404
    assert firebase_api.get(urls["srt"].split("?")[0], headers=as_user("ada")).status_code == 200
    # a signature is for one film and one file, and cannot be altered
    assert firebase_api.get(urls["video"].replace("/video?", "/poster?")).status_code == 404
    assert firebase_api.get(urls["video"][:-1] + ("0" if urls["video"][-1] != "0" else "1")).status_code == 404
    assert firebase_api.get(urls["video"].replace("exp=", "exp=1")).status_code == 404


def test_a_shared_film_can_be_watched_without_signing_in(firebase_api, as_user):
    form = {"genre": "mystery", "theme": "A lighthouse keeper finds a map", "style": "noir", "minutes": 5}
    film_id = firebase_api.post("/api/films", json=form, headers=as_user("ada")).json()["id"]
    assert firebase_api.get(f"/api/films/{film_id}").status_code == 401  # private: sign in first
    firebase_api.post(f"/api/films/{film_id}/share", headers=as_user("ada"))
    seen = firebase_api.get(f"/api/films/{film_id}")
    assert seen.status_code == 200 and seen.json()["mine"] is False and seen.json()["fixes"] == []
    assert "ada" not in seen.text
