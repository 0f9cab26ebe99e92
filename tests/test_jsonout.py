import io
import json

from poacal.jsonout import dumps, write


def test_layout_one_element_per_line_and_iterators_streamed() -> None:
    quoted = 'b, "c"'
    data = {
        "schema_version": 1,
        "items": iter([{"id": "a"}, {"id": quoted}]),
        "empty": [],
        "counts": {"x": 1},
    }
    buf = io.StringIO()
    write(data, buf)
    text = buf.getvalue()
    assert text.splitlines() == [
        "{",
        '  "schema_version": 1,',
        '  "items": [',
        '    {"id": "a"},',
        '    {"id": "b, \\"c\\""}',
        "  ],",
        '  "empty": [],',
        '  "counts": {"x": 1}',
        "}",
    ]
    assert text.endswith("}\n")
    assert json.loads(text)["items"][1]["id"] == quoted


def test_non_ascii_is_written_as_is() -> None:
    assert dumps({"name": "Programa de Acción 行动纲领"}) == (
        '{\n  "name": "Programa de Acción 行动纲领"\n}\n'
    )
