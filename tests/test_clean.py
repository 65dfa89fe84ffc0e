# ruff: noqa: E501 (the fixture page keeps its long story lines whole)
from datetime import date

import pytest

from allegiance.nlp.clean import clean_article, clean_lines, english_share
from allegiance.records import RawDoc, Rejected
from allegiance.settings import Settings

PAGE = """Kenya sends police to Haiti under UN-backed mission

WORLD NEWS
By Staff Writer
5 min read

NAIROBI - Kenya on Tuesday flew its first contingent of police officers to Haiti, where gangs control most of the capital.

Kenya sends police to Haiti under UN-backed mission 3

Will the mission succeed where others failed?

The United Nations Security Council approved the mission last year, and the United States pledged funding for it.

Share on Facebook
Subscribe
"""


def test_clean_lines_removes_furniture_and_keeps_story():
    title, body, removed = clean_lines(PAGE)
    assert title == "Kenya sends police to Haiti under UN-backed mission"
    reasons = {r.text: r.reason for r in removed}
    assert set(reasons) == {
        "WORLD NEWS",
        "By Staff Writer",
        "5 min read",
        "Kenya sends police to Haiti under UN-backed mission 3",
        "Will the mission succeed where others failed?",
        "Share on Facebook",
        "Subscribe",
    }
    assert reasons["5 min read"] == "reading-time badge"
    assert "headline" in reasons["Kenya sends police to Haiti under UN-backed mission 3"]
    assert body.startswith("NAIROBI - Kenya on Tuesday")
    assert body.endswith("pledged funding for it.")


def test_clean_lines_keeps_a_quoted_question_and_short_story_lines_inside():
    text = (
        "Headline here\n\nThe minister spoke at length in the capital on Monday afternoon.\n\n"
        '"Who will pay for this?" she asked.\n\nThe talks resumed later in the week, '
        "officials said."
    )
    _, body, removed = clean_lines(text)
    assert removed == ()
    assert "Who will pay for this?" in body


@pytest.mark.parametrize("line", ["Share This Story", "Leave a comment", "Follow us", "Print"])
def test_clean_lines_drops_widgets_anywhere(line):
    text = (
        f"Title\n\nFirst paragraph of the story has enough words to count.\n\n{line}\n\n"
        "Second paragraph of the story also has enough words to count."
    )
    _, body, removed = clean_lines(text)
    assert [r.text for r in removed] == [line]
    assert line not in body


def test_clean_article_rejects_empty_and_foreign_text():
    settings = Settings()
    empty = clean_article(RawDoc(None, "x.txt", "Title\n\nShare\n"), settings)
    assert isinstance(empty, Rejected) and empty.reason == "empty after cleaning"
    german = (
        "Die Regierung hat am Montag beschlossen, dass die Truppen aus dem Land "
        "abgezogen werden, sagte ein Sprecher des Ministeriums in der Hauptstadt."
    )
    foreign = clean_article(RawDoc(None, "de.txt", german), settings)
    assert isinstance(foreign, Rejected) and foreign.reason == "not English"


def test_clean_article_keeps_published_date_and_makes_content_id():
    raw = RawDoc(None, "a.txt", PAGE, published=date(2024, 6, 25))
    art = clean_article(raw, Settings())
    assert not isinstance(art, Rejected)
    assert art.published == date(2024, 6, 25) and len(art.id) == 16
    assert english_share(art.text) > 0.2


def test_clean_article_reads_html():
    html = (
        "<html><head><title>Talks in Doha</title></head><body><article><h1>Talks in Doha</h1>"
        "<p>Qatar hosted negotiators from both sides on Sunday, according to officials who "
        "attended the meeting in the capital.</p><p>The talks will resume next week, the "
        "foreign ministry said in a statement on its website.</p></article></body></html>"
    )
    art = clean_article(RawDoc(None, "a.html", html, is_html=True), Settings())
    assert not isinstance(art, Rejected)
    assert "Qatar hosted negotiators" in art.text
