def test_the_landing_page_answers_without_the_slash_too(client):
    """QGIS takes https://…/ogc as it is typed and does not follow a redirect to /ogc/."""
    bare = client.get("/ogc", HTTP_ACCEPT="application/json")
    slashed = client.get("/ogc/", HTTP_ACCEPT="application/json")
    assert bare.status_code == 200
    assert bare.json()["links"] == slashed.json()["links"]
