"""The README's code blocks are well-formed Markdown and valid Python that stands alone."""

from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def fenced_blocks(text):
    """``(language, code, first line number)`` of each fenced block; fails on a malformed fence."""
    blocks, language, lines, start = [], None, [], 0
    for number, line in enumerate(text.splitlines(), 1):
        if language is None:
            if line.startswith("```"):
                language, lines, start = line[3:].strip(), [], number
            continue
        if line.rstrip() == "```":
            blocks.append((language, "\n".join(lines), start))
            language = None
        else:
            assert "```" not in line, f"README.md:{number}: a fence must be a line of its own"
            lines.append(line)
    assert language is None, f"README.md:{start}: the block opened here is never closed"
    return blocks


def test_readme_python_blocks_compile_and_stand_alone():
    blocks = [(code, start) for language, code, start in fenced_blocks(README.read_text())
              if language == "python"]
    assert len(blocks) >= 3  # quickstart, mixed table, using the model
    for code, start in blocks:
        compile(code, f"README.md:{start}", "exec")
        # each block works when pasted on its own: it imports what it uses
        for name, module in [("DiscreteBGAN", "skbgan"), ("np", "numpy"), ("pd", "pandas")]:
            if f"{name}." in code or f"{name}(" in code:
                assert f"import {name}" in code or f"as {name}" in code, (
                    f"README.md:{start}: the block uses {name} without importing it from {module}")
