"""A registry defined in the browser, used like a built-in one: an administrator defines
"Playgrounds" in the admin, an editor digitises two playgrounds on the map editor, a reviewer
approves them, and the public map shows them and filters them."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from layers.editing import services
from layers.editing.models import Role
from layers.models import DataRecord, Status
from layers.registry import registry_get
from tests.browser.conftest import ARTIFACTS, BLANK_TILE
from tests.browser.test_editing import PASSWORD, _log_in
from tests.factories import CENTRE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLUG = "playgrounds-new"


def _fresh_page(page):
    context = page.context.browser.new_context(viewport={"width": 1280, "height": 900})
    other = context.new_page()
    other.console_errors = []
    other.on("pageerror", lambda exc: other.console_errors.append(str(exc)))
    other.route(
        "https://tile.openstreetmap.org/**",
        lambda route: route.fulfill(status=200, content_type="image/png", body=BLANK_TILE),
    )
    return other


def _define_in_the_admin(page, base):
    _log_in(page, base, "boss", "/admin/layers/choicelist/add/")
    page.fill("#id_slug", "surfaces")
    page.fill("#id_title_uk", "Покриття")
    page.fill("#id_title_en", "Surface")
    for index, (value, uk, en) in enumerate(
        (("rubber", "Гума", "Rubber"), ("sand", "Пісок", "Sand"))
    ):
        if index:
            page.click("#items-group .add-row a")
        page.fill(f"#id_items-{index}-value", value)
        page.fill(f"#id_items-{index}-label_uk", uk)
        page.fill(f"#id_items-{index}-label_en", en)
        page.fill(f"#id_items-{index}-order", str(index))
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")

    page.goto(f"{base}/admin/layers/registrydefinition/add/")
    page.fill("#id_slug", SLUG)
    page.fill("#id_title_uk", "Дитячі майданчики")
    page.fill("#id_title_en", "Playgrounds")
    page.fill("#id_style_field", "surface")
    page.check("#id_is_public")
    page.check("#id_shown_by_default")
    fields = (("title", "text", "Назва майданчика"), ("surface", "choice", "Покриття"))
    for index, (name, kind, label) in enumerate(fields):
        page.click("#fields-group .add-row a")
        page.fill(f"#id_fields-{index}-name", name)
        page.select_option(f"#id_fields-{index}-type", kind)
        page.fill(f"#id_fields-{index}-label_uk", label)
        page.fill(f"#id_fields-{index}-label_en", name.title())
        if kind == "choice":
            page.select_option(f"#id_fields-{index}-choice_list", label="Покриття")
            page.check(f"#id_fields-{index}-in_popup")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")


def _digitise(page, base, title: str, surface: str, offset_px: int):
    page.goto(f"{base}/edit/{SLUG}/new/")
    page.wait_for_selector("#edit-map.leaflet-container")
    box = page.locator("#edit-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2 + offset_px, box["y"] + box["height"] / 2)
    page.wait_for_selector("#geometry-feedback.feedback-ok")
    page.fill("#id_title", title)
    page.select_option("#id_surface", surface)
    page.click("#record-form button[type=submit]")
    page.wait_for_selector("form[action$='/submit/'] button")
    page.click("form[action$='/submit/'] button")
    page.wait_for_selector(".status-in_review")


def test_a_registry_defined_in_the_browser_is_edited_reviewed_and_mapped(live_server, page):
    call_command("load_boundary", verbosity=0)
    users = get_user_model().objects
    users.create_superuser("boss", password=PASSWORD)
    mapper = users.create_user("mapper", password=PASSWORD, is_staff=True)
    checker = users.create_user("checker", password=PASSWORD, is_staff=True)
    base = live_server.url

    _define_in_the_admin(page, base)
    registry = registry_get(SLUG)
    assert [spec.name for spec in registry.specs] == ["title", "surface"]
    services.role_grant(user=mapper, registry=registry, role=Role.EDITOR)
    services.role_grant(user=checker, registry=registry, role=Role.REVIEWER)

    editor = _fresh_page(page)
    _log_in(editor, base, "mapper", f"/edit/{SLUG}/new/")
    # A few pixels apart at the editor's first zoom (the whole hromada): about 1.5 km.
    _digitise(editor, base, "Майданчик «Сонечко»", "rubber", -10)
    _digitise(editor, base, "Майданчик біля ставу", "sand", 10)
    assert editor.console_errors == []
    editor.context.close()

    reviewer = _fresh_page(page)
    _log_in(reviewer, base, "checker", f"/edit/review/?registry={SLUG}")
    for _ in range(2):
        reviewer.wait_for_selector("form[action$='/approve/'] button[type=submit]")
        reviewer.click("form[action$='/approve/'] button[type=submit]")
        reviewer.wait_for_selector(".message-success")
    reviewer.context.close()
    assert set(DataRecord.objects.values_list("status", flat=True)) == {Status.PUBLISHED}

    public = _fresh_page(page)
    public.goto(f"{base}/#map=12/{CENTRE[1]}/{CENTRE[0]}&layers={SLUG}")
    public.wait_for_function(
        "() => document.getElementById('map-list-body').textContent.includes('біля ставу')"
        " && document.getElementById('map-list-body').textContent.includes('Сонечко')"
    )
    count = "(id) => document.getElementById('map').mapView.layers.get(id).featureCount()"
    public.wait_for_function(f"(id) => ({count})(id) >= 2", arg=SLUG, timeout=15000)
    before = public.evaluate(count, SLUG)
    public.locator(f'[data-layer="{SLUG}"] details summary').click()
    public.check(f'input[name="{SLUG}.surface"][value="sand"]')
    public.wait_for_function(
        f"([id, n]) => ({count})(id) > 0 && ({count})(id) < n", arg=[SLUG, before], timeout=15000
    )
    public.wait_for_function(
        "() => document.getElementById('map-list-body').textContent.includes('біля ставу')"
        " && !document.getElementById('map-list-body').textContent.includes('Сонечко')"
    )
    legend = public.locator(f'[data-layer="{SLUG}"] .legend').inner_text()
    assert "Гума" in legend and "Пісок" in legend
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    public.screenshot(path=str(ARTIFACTS / "data-registry-public-map.png"))
    assert public.console_errors == []
