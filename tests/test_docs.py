"""The README's field and channel tables are generated from the Field declarations (planet/docs.py)."""
from planet import docs


def test_readme_channel_tables_match_the_declarations():
    text = docs.README.read_text()
    assert docs.current(text) is not None, "README.md lacks the generated channel block"
    assert docs.current(text) == docs.block(), (
        "README.md's channel tables differ from the Field declarations: run `python -m planet.docs --write`")


def test_every_field_and_channel_is_in_the_tables():
    from planet.stages import registry

    tables = docs.channel_tables()
    for st in registry().values():
        for f in st.fields:
            assert f"`{f.name}`" in tables
            for ch in f.channels:
                assert f"| `{ch.name}` | {ch.unit} |" in tables
