def test_home_renders(client, make):
    make.article("Größere Übungen für Banken", topics=["Bankenrating"])
    response = client.get("/")
    assert response.status_code == 200
    assert "Größere Übungen für Banken" in response.text
    assert "Bankenrating" in response.text


def test_article_page_renders(client, make):
    article = make.article("Größere Übungen für Banken")
    assert article.slug == "groessere-uebungen-fuer-banken"
    response = client.get(f"/articles/{article.slug}")
    assert response.status_code == 200


def test_german_by_default_english_on_request(client, make):
    make.article("Ein Beitrag")
    assert "Kein Kommentar »" in client.get("/").text
    english = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"}).text
    assert "No comments »" in english
