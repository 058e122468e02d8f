"""The user guide's table of parameters names every parameter and states its default."""

import ast
import re
from pathlib import Path

from skbgan import DiscreteBGAN

USER_GUIDE = Path(__file__).resolve().parent.parent / "docs" / "user_guide.md"


def parameter_table():
    """``{name: default}`` of the rows under "Parameters, and when to change them"."""
    text = USER_GUIDE.read_text()
    section = text[text.index("## Parameters, and when to change them"):]
    section = section[section.index("| parameter |"):]
    table = {}
    for row in section[:section.index("\n\n")].splitlines()[2:]:  # after the header
        names_cell, defaults_cell = row.split(" | ")[:2]
        names = re.findall(r"`(\w+)`", names_cell)
        defaults = [defaults_cell] if len(names) == 1 else defaults_cell.split(", ")
        assert len(defaults) == len(names), f"user guide: {row[:60]!r}: one default a name"
        for name, default in zip(names, defaults):
            table[name] = ast.literal_eval(default.strip("`"))
    return table


def test_the_table_of_parameters_states_every_default():
    table = parameter_table()
    defaults = DiscreteBGAN().get_params()
    assert sorted(table) == sorted(defaults)
    for name, default in defaults.items():
        assert table[name] == default, f"user guide: {name} defaults to {default!r}"
