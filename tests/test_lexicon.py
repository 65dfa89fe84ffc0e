"""The event lexicon is checked against the PLOVER table as it is read: errors name the line."""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

import pytest

from allegiance.errors import KnowledgeError
from allegiance.knowledge.lexicon import load_lexicon

DATA = Path(str(resources.files("allegiance.knowledge") / "data"))


def test_lexicon_loads_with_its_word_lists():
    lex = load_lexicon()
    assert "thousands" in lex.words.quantities and "against" in lex.preps.hostile
    assert "on" in lex.preps.target  # quoted in the YAML: unquoted it would read as true
    assert lex.type_classes.needs_recipient == {"COOPERATE", "AID", "SANCTION"}
    assert lex.converse["visit"] == "host"


def test_a_mode_without_a_code_of_its_own_takes_its_types_code():
    lex = load_lexicon()
    assert lex.types["CONCEDE"].modes["release"] is None
    assert lex.types["CONCEDE"].cameo_for("release") == "080"
    assert lex.types["CONSULT"].cameo_for("visit") == "042"
    assert lex.types["CONSULT"].cameo_for("unlisted") == "040"


@pytest.mark.parametrize(
    ("line", "broken", "message"),
    [
        ("  condemn: [ACCUSE, disapprove]", "  condemn: [ACUSE, disapprove]", "'ACUSE' is not a"),
        ("  condemn: [ACCUSE, disapprove]", "  condemn: [ACCUSE, scold]", "has no mode 'scold'"),
        ("  condemn: [ACCUSE, disapprove]", "  condemn: ACCUSE", "should be [TYPE, mode]"),
        ("  reciprocal: [AGREE,", "  reciprocal: [AGREED,", "'AGREED' is not a PLOVER type"),
        ("  military: [troops,", "  armed: [troops,", "AID has no mode 'armed'"),
        ('  hostile: [against, "on",', "  hostile: [against, on,", "'on' is not a word"),
        ("  mutual: [", "  mutal: [", "unknown list 'mutal'"),
    ],
)
def test_lexicon_errors_name_the_file_and_line(tmp_path, line, broken, message):
    for name in ("lexicon.yaml", "plover.yaml"):
        shutil.copy(DATA / name, tmp_path / name)
    path = tmp_path / "lexicon.yaml"
    text = path.read_text(encoding="utf-8")
    assert line in text
    number = text[: text.index(line)].count("\n") + 1
    path.write_text(text.replace(line, broken, 1), encoding="utf-8")
    with pytest.raises(KnowledgeError) as err:
        load_lexicon(tmp_path)
    assert f"{path}, line {number}: " in str(err.value) and message in str(err.value)
