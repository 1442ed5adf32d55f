"""Versions of a film in the API: listed newest first, the newest passed one playing at /video, each
passed one at /versions/{n}/video under the same access rules; films made before versions still play."""

from datetime import datetime, timezone

from api_support import FORM, VIDEO, api, as_user, finished_film, firebase_api  # noqa: F401 (fixtures)

from dreamreel_assets.stores.requests import CutVersion


def versioned_film(client, root, user_id: str = "local") -> str:
    """A film with version 1 passed, 2 failed and 3 being checked, each cut in its own folder."""
    film_id = client.app.state.stores.requests.submit(FORM, user_id=user_id).id
    store = client.app.state.stores.requests
    for number in (1, 2, 3):
        folder = root / "films" / film_id / "cuts" / str(number)
        folder.mkdir(parents=True)
        (folder / "film.mp4").write_bytes(VIDEO[: 1000 * number])
        (folder / "poster.jpg").write_bytes(b"\xff\xd8\xff poster %d" % number)
    store.set_status(film_id, "done", result={"video": "v", "poster": "p"})
    now = datetime.now(timezone.utc)
    store.save_version(film_id, CutVersion(number=1, status="passed", created_at=now, duration_s=20.5))
    store.save_version(film_id, CutVersion(number=2, status="failed", created_at=now, failed_checks=["no_clipping"],
                                           reason="no_clipping: true peak -0.2 dBTP"))
    store.save_version(film_id, CutVersion(number=3, created_at=now))
    return film_id


def test_versions_newest_first_and_the_newest_passed_plays(api, tmp_path):
    film_id = versioned_film(api, tmp_path)
    versions = api.get(f"/api/films/{film_id}").json()["versions"]
    assert [(v["number"], v["status"], v["playing"]) for v in versions] == [
        (3, "checking", False), (2, "failed", False), (1, "passed", True)]
    assert versions[1]["failed_checks"] == ["no_clipping"] and versions[1]["reason"].startswith("no_clipping: ")
    assert versions[2]["duration"] == 20.5
    assert [v["video"] is not None for v in versions] == [False, False, True]
    assert versions[2]["video"].startswith(f"/api/films/{film_id}/versions/1/video?exp=")  # private: signed

    assert api.get(f"/api/films/{film_id}/video").content == VIDEO[:1000]
    assert api.get(f"/api/films/{film_id}/poster").content == b"\xff\xd8\xff poster 1"
    one = api.get(f"/api/films/{film_id}/versions/1/video", headers={"Range": "bytes=0-9"})
    assert one.status_code == 206 and one.content == VIDEO[:10] and one.headers["content-type"] == "video/mp4"
    for number in ("2", "3", "4"):  # failed, being checked, none such
        missing = api.get(f"/api/films/{film_id}/versions/{number}/video")
        assert missing.status_code == 404 and missing.json()["detail"]
    assert api.get(f"/api/films/{film_id}/versions/0/video").status_code == 422
    assert api.get(f"/api/films/{film_id}/versions/one/video").status_code == 422


def test_a_new_passed_version_is_what_plays(api, tmp_path):
    film_id = versioned_film(api, tmp_path)
    api.app.state.stores.requests.save_version(
        film_id, CutVersion(number=3, status="passed", created_at=datetime.now(timezone.utc)))
    assert api.get(f"/api/films/{film_id}/video").content == VIDEO[:3000]
    versions = api.get(f"/api/films/{film_id}").json()["versions"]
    assert [v["number"] for v in versions if v["playing"]] == [3]


def test_a_film_made_before_versions_still_plays(api, tmp_path):
    film_id = finished_film(api, tmp_path)  # its files directly under films/<id>/
    assert api.get(f"/api/films/{film_id}").json()["versions"] == []
    assert api.get(f"/api/films/{film_id}/video").content == VIDEO
    assert api.get(f"/api/films/{film_id}/versions/1/video").status_code == 404


def test_a_version_of_a_private_film_is_its_owners_or_a_signed_links(firebase_api, as_user, tmp_path):
    film_id = versioned_film(firebase_api, tmp_path, user_id="ada")
    path = f"/api/films/{film_id}/versions/1/video"
    assert firebase_api.get(path).status_code == 404
    assert firebase_api.get(path, headers=as_user("bob")).status_code == 404
    assert firebase_api.get(path, headers=as_user("ada")).content == VIDEO[:1000]
    signed = firebase_api.get(f"/api/films/{film_id}", headers=as_user("ada")).json()["versions"][-1]["video"]
    assert firebase_api.get(signed).content == VIDEO[:1000]  # a <video> element sends no token
    other_file = signed.replace("/versions/1/video", "/video")  # signed for that version alone
    assert firebase_api.get(other_file).status_code == 404

    firebase_api.app.state.stores.requests.set_shared(film_id, True)
    shared = firebase_api.get(f"/api/films/{film_id}").json()["versions"][-1]["video"]
    assert shared == path and firebase_api.get(shared).content == VIDEO[:1000]
