"""The publish switches and the tokens in the admin."""

from django.contrib.auth import get_user_model

from api.models import ApiToken
from indicators.models import FiscalYear, Indicator


def test_administrators_switch_years_and_indicators_and_revoke_tokens(client, seed):
    admin = get_user_model().objects.create_superuser("root-admin", "root@example.org", "pass-1234-word")
    client.force_login(admin)
    year = FiscalYear.objects.get(year=2563)
    for url in ("/admin/indicators/fiscalyear/", f"/admin/indicators/fiscalyear/{year.pk}/change/",
                "/admin/indicators/indicator/?public_hidden__exact=1", f"/admin/indicators/indicator/{seed.pk}/change/",
                "/admin/api/apitoken/"):
        assert client.get(url).status_code == 200, url
    assert 'name="public_hidden"' in client.get(f"/admin/indicators/indicator/{seed.pk}/change/").content.decode()

    # The year's switch in the list: saving it moves its indicators' versions on.
    before = Indicator.objects.get(pk=seed.pk).sheet_version
    years = list(FiscalYear.objects.order_by("-year"))
    data = {"form-TOTAL_FORMS": str(len(years)), "form-INITIAL_FORMS": str(len(years)), "_save": "Save"}
    for n, fy in enumerate(years):
        data[f"form-{n}-id"] = str(fy.pk)
        if fy.year != 2563:
            data[f"form-{n}-published"] = "on"
    assert client.post("/admin/indicators/fiscalyear/", data).status_code == 302
    assert not FiscalYear.objects.get(year=2563).published
    assert Indicator.objects.get(pk=seed.pk).sheet_version > before
    assert client.get(f"/public/2563/indicators/{seed.code}/").status_code == 404

    token, _raw = ApiToken.issue(admin, "ของผู้ดูแล")
    response = client.post("/admin/api/apitoken/", {"action": "revoke", "_selected_action": [token.pk]})
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked
    assert client.get("/admin/api/apitoken/add/").status_code == 403
