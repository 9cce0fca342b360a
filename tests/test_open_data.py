"""Open data: a published year as CSV (UTF-8 with BOM) and JSON, the same
records as the API, and a data dictionary that describes every column."""

import csv
import io
import json

from public.opendata import COLUMNS

from .pytest_fixtures import SEED_CODE


def read_csv(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith("\ufeff".encode("utf-8"))
    return response, list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_csv_has_the_documented_columns(client, seed):
    response, rows = read_csv(client, "/public/2563/data.csv")
    assert response["Content-Disposition"] == 'attachment; filename="kpi-2563.csv"'
    assert list(rows[0]) == [column.name for column in COLUMNS]
    seed_row = next(row for row in rows if row["code"] == SEED_CODE)
    assert seed_row["agency_short_name"] == "สยป." and seed_row["strategy"] == "5.2.1.1"
    assert (seed_row["q3_value"], seed_row["q3_status"], seed_row["q3_score_confirmed"]) == ("70", "accepted", "100")
    # Quarter 4 waits for the evaluator: empty cells, never 0.
    assert [seed_row[f"q4_{name}"] for name in ("value", "value_to_date", "achievement", "score_self",
                                                "score_confirmed", "status")] == ["", "", "", "", "", "pending"]
    assert (seed_row["achieved"], seed_row["achieved_quarter"], seed_row["year_status"]) == ("70", "3", "pending")
    assert seed_row["page_url"] == f"/public/2563/indicators/{SEED_CODE}/"


def test_the_json_holds_the_same_records(client, seed):
    response = client.get("/public/2563/data.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    document = json.loads(response.content)
    assert document["fiscal_year"] == 2563 and document["count"] == len(document["indicators"])
    record = next(r for r in document["indicators"] if r["code"] == SEED_CODE)
    api = json.loads(client.get("/api/v1/indicators/?year=2563").content)["results"]
    listed = next(r for r in api if r["code"] == SEED_CODE)
    # The API's list item is the open data record plus its own link.
    assert {**record, "url": listed["url"]} == listed
    # Every CSV column is in the JSON, the quarters nested.
    flat = {column.name for column in COLUMNS if not column.name.startswith("q")} - {"year_status"}
    assert flat <= set(record) and record["quarters"][3]["status"] == "pending"


def test_large_numbers_have_no_separators(client, seed):
    seed.annual_target = 1234567
    seed.save()
    _response, rows = read_csv(client, "/public/2563/data.csv")
    assert next(row for row in rows if row["code"] == SEED_CODE)["annual_target"] == "1234567"


def test_the_data_dictionary_describes_every_column(client, seed):
    response = client.get("/public/data/")
    html = response.content.decode()
    for column in COLUMNS:
        assert f"<code>{column.name}</code>" in html, column.name
    assert "/public/2563/data.csv" in html and "/public/2563/data.json" in html
    assert "q4_score_confirmed" in html and "คะแนน 2.2 ของไตรมาสที่ 4" in html


def test_files_are_cached_per_version_with_etags(client, seed):
    first = client.get("/public/2563/data.csv")
    assert client.get("/public/2563/data.csv", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    seed.name = "ชื่อใหม่ของตัวชี้วัด"
    seed.save()
    changed = client.get("/public/2563/data.csv", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and "ชื่อใหม่ของตัวชี้วัด" in changed.content.decode("utf-8-sig")


def test_unknown_formats_and_unpublished_years(client, seed):
    assert client.get("/public/2563/data.xml").status_code == 404
    assert client.get("/public/2999/data.csv").status_code == 404


def test_links_in_records_are_what_reverse_makes():
    """records.indicator_url skips resolving the route for each row; it must
    escape codes as reverse() does (old rows may hold "/" or "%")."""
    from django.urls import reverse

    from public.records import indicator_url

    for code in ("2100-1037", "ก.1-๒", "a/b", "50%", "x y"):
        for name in ("public:indicator", "api:indicator-detail"):
            assert indicator_url(name, 2569, code) == reverse(name, args=[2569, code]), (name, code)


def test_a_file_being_built_is_waited_for_not_built_again(db, monkeypatch):
    """Requests that want a file another request is building wait for it."""
    from django.core.cache import cache

    from public import caching

    builds = []
    cache.add("public:k:building", 1, 60)  # another request is building it
    monkeypatch.setattr(caching.time, "sleep", lambda seconds: cache.set("public:k", b"made elsewhere"))
    assert caching.built_once("public:k", lambda: builds.append(1) or b"made here") == b"made elsewhere"
    assert builds == []
    cache.delete("public:k:building")
    assert caching.built_once("public:other", lambda: b"made here") == b"made here"
    assert cache.get("public:other") == b"made here" and cache.get("public:other:building") is None
