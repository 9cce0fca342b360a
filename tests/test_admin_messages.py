"""The Django admin speaks Thai where Django's Thai catalogue falls short:
the banner over a refused form is a plural message ("Please correct the
error below." / "… errors below.") that Django's catalogue has only as two
singular entries, so ngettext found nothing and the admin showed English.
locale/th supplies it (LOCALE_PATHS comes before the apps' catalogues)."""

import pytest
from django.contrib.auth import get_user_model

from indicators.models import DistrictGroup

THAI_BANNER = "กรุณาแก้ไขข้อผิดพลาดด้านล่าง"


@pytest.fixture
def superuser_client(client, db):
    client.force_login(get_user_model().objects.create_superuser("root-admin", "root@example.org", "pass-1234-word"))
    return client


def errornote(response):
    html = response.content.decode()
    start = html.index('<p class="errornote">')
    return html[start:html.index("</p>", start)].removeprefix('<p class="errornote">').strip()


@pytest.mark.parametrize("data, errors", [
    ({"code": "bangkok-east", "order": "1"}, 1),  # the name missing: one error
    ({"order": "1"}, 2),  # the code and the name missing
])
def test_a_refused_admin_form_is_headed_in_thai(superuser_client, data, errors):
    response = superuser_client.post("/admin/indicators/districtgroup/add/", data)
    assert response.status_code == 200 and len(response.context["adminform"].form.errors) == errors
    assert errornote(response) == THAI_BANNER
    assert "Please correct" not in response.content.decode()
    assert not DistrictGroup.objects.exists()


def test_the_admin_draws_thai_in_sarabun(superuser_client, settings):
    """Django's admin names only system fonts: where the machine has no Thai
    font it drew boxes. Ours adds the Sarabun faces and makes it the admin's font."""
    html = superuser_client.get("/admin/").content.decode()
    assert "css/fonts.css" in html and "css/admin-thai.css" in html
    static = settings.BASE_DIR / "static" / "css"
    assert '"Sarabun"' in (static / "admin-thai.css").read_text(encoding="utf-8").split("--font-family-primary:")[1]
    assert "Sarabun-Regular.ttf" in (static / "fonts.css").read_text(encoding="utf-8")
