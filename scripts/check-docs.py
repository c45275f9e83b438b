#!/usr/bin/env python3
"""Checks the documentation against itself and the code (run by `make check`).

- README.md has at most 200 lines.
- README.md has one quickstart per language, an HTML comment `<!-- quickstart:LANG -->`
  followed by a fenced block, for rust, python, node, kotlin and swift. Each is
  byte-identical (fences included) to the first fenced block of docs/LANG.md, and has at
  most 15 lines of the user's own code (see `user_code_lines`). A guide that does not
  exist yet fails the check, naming the block it must start with.
- Every Rust block of README.md and docs/*.md is run by a test: the README's is the Rust
  quickstart; in docs/*.md each is preceded by `<!-- example: PATH -->`, PATH being a
  file of tests/e2e-rust/examples/ whose text the block holds byte for byte and which
  tests/e2e-rust/tests/examples.rs includes (and runs).
- Every relative link of README.md and docs/*.md (inline, reference-style or HTML href,
  outside code) names a file or folder that exists, and its #anchor, when it points into
  a Markdown file, one of that file's headings (GitHub's slugs).

Exits 1 with every problem found, 0 when there is none. `--sync` first copies the first
fenced block of each existing guide into README.md's quickstart block (the guide is where
each quickstart is written and tested).
"""

from __future__ import annotations

import difflib
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = ROOT / "docs"
README_MAX_LINES = 200
QUICKSTART_LANGUAGES = ("rust", "python", "node", "kotlin", "swift")
QUICKSTART_MAX_LINES = 15
EXAMPLES = ROOT / "tests" / "e2e-rust" / "examples"
EXAMPLES_TEST = ROOT / "tests" / "e2e-rust" / "tests" / "examples.rs"

FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
QUICKSTART_MARKER = re.compile(r"^<!--\s*quickstart:([a-z]+)\s*-->\s*$")
EXAMPLE_MARKER = re.compile(r"^<!--\s*example:\s*(\S+)\s*-->\s*$")


class Block:
    """A fenced code block: its lines from the opening fence to the closing one."""

    def __init__(self, start: int, lines: list[str], info: str, marker: str | None) -> None:
        self.start = start  # 1-based line number of the opening fence
        self.lines = lines
        self.info = info.strip()
        self.marker = marker  # the HTML comment on the last non-blank line before it

    @property
    def language(self) -> str:
        return re.split(r"[\s,{]", self.info, maxsplit=1)[0].lower() if self.info else ""

    @property
    def text(self) -> str:
        return "".join(self.lines)

    @property
    def body(self) -> str:
        return "".join(self.lines[1:-1])


def parse(text: str) -> tuple[list[Block], list[tuple[int, str]]]:
    """The fenced blocks of a Markdown text, and its other lines (numbered)."""
    blocks: list[Block] = []
    prose: list[tuple[int, str]] = []
    lines = text.splitlines(keepends=True)
    previous = None  # the last non-blank line outside blocks
    i = 0
    while i < len(lines):
        match = FENCE.match(lines[i].rstrip("\n"))
        if not match:
            prose.append((i + 1, lines[i]))
            if lines[i].strip():
                previous = lines[i].strip()
            i += 1
            continue
        fence = match.group(1)
        closing = re.compile(r"^ {0,3}" + re.escape(fence[0]) + "{" + str(len(fence)) + r",}\s*$")
        end = i + 1
        while end < len(lines) and not closing.match(lines[end].rstrip("\n")):
            end += 1
        marker = previous if previous and previous.startswith("<!--") else None
        blocks.append(Block(i + 1, lines[i : end + 1], match.group(2), marker))
        previous = None
        i = end + 1
    return blocks, prose


# --- Quickstarts --------------------------------------------------------------------

IMPORT_START = re.compile(
    r"^\s*(use\s|pub\s+use\s|import\s|from\s+\S+\s+import\s|@file:|package\s"
    r"|(const|let|var)\s+.*=\s*require\()"
)
COMMENT = re.compile(r"^\s*(//|#(?!\[)|/\*)")
ENTRY_POINT = re.compile(
    r"^\s*((pub\s+)?(async\s+)?fn\s+main\b|(suspend\s+)?fun\s+main\b|func\s+main\b"
    r"|def\s+main\b|(async\s+)?function\s+main\b|if\s+__name__\s*==)"
)


def user_code_lines(block: Block) -> list[str]:
    """The lines of the user's own code: not blank, not comments, not imports (an import
    runs until its brackets close), not the program's entry point (`fn main`, `fun main`,
    `def main`, ..., the closing brace of the block's last line and Rust's `Ok(())`)."""
    lines = [line.rstrip("\n") for line in block.lines[1:-1]]
    has_entry_point = any(ENTRY_POINT.match(line) for line in lines)
    if has_entry_point:
        while lines and not lines[-1].strip():
            lines.pop()
        if lines and lines[-1].strip() in ("}", "})", "end"):
            lines.pop()
    counted: list[str] = []
    depth = 0  # open brackets of an import that spans lines
    for line in lines:
        stripped = line.strip()
        if depth > 0:
            depth += sum(stripped.count(c) for c in "({[") - sum(stripped.count(c) for c in ")}]")
            continue
        if not stripped or COMMENT.match(line):
            continue
        if IMPORT_START.match(line):
            depth = max(0, sum(stripped.count(c) for c in "({[") - sum(stripped.count(c) for c in ")}]"))
            continue
        if ENTRY_POINT.match(line) or stripped == "Ok(())":
            continue
        counted.append(line)
    return counted


def check_quickstarts(readme_blocks: list[Block], problems: list[str]) -> None:
    found: dict[str, list[Block]] = {}
    for block in readme_blocks:
        match = QUICKSTART_MARKER.match(block.marker or "")
        if match:
            found.setdefault(match.group(1), []).append(block)
    for language in sorted(set(found) - set(QUICKSTART_LANGUAGES)):
        problems.append(f"README.md: <!-- quickstart:{language} --> names no known language")
    for language in QUICKSTART_LANGUAGES:
        blocks = found.get(language, [])
        if len(blocks) != 1:
            problems.append(
                f"README.md: expected one <!-- quickstart:{language} --> marker before a "
                f"fenced block, found {len(blocks)}"
            )
            continue
        block = blocks[0]
        lines = user_code_lines(block)
        if len(lines) > QUICKSTART_MAX_LINES:
            problems.append(
                f"README.md:{block.start}: the {language} quickstart has {len(lines)} lines of "
                f"the user's own code, more than {QUICKSTART_MAX_LINES}"
            )
        guide = DOCS / f"{language}.md"
        if not guide.exists():
            problems.append(
                f"docs/{language}.md does not exist yet: the {language} guide must start with "
                f"README.md's quickstart:{language} block (README.md line {block.start}) as its "
                "first code block"
            )
            continue
        guide_blocks, _ = parse(guide.read_text(encoding="utf-8"))
        if not guide_blocks:
            problems.append(f"docs/{language}.md has no code block; its first must be the quickstart")
            continue
        first = guide_blocks[0]
        if first.text != block.text:
            diff = "".join(
                difflib.unified_diff(
                    block.lines,
                    first.lines,
                    f"README.md (quickstart:{language}, line {block.start})",
                    f"docs/{language}.md (first code block, line {first.start})",
                )
            )
            problems.append(
                f"the {language} quickstart in README.md differs from the first code block of "
                f"docs/{language}.md:\n{diff}"
            )


# --- Rust examples ------------------------------------------------------------------


def check_rust_examples(readme_blocks: list[Block], problems: list[str]) -> None:
    for block in readme_blocks:
        if block.language == "rust" and not QUICKSTART_MARKER.match(block.marker or ""):
            problems.append(
                f"README.md:{block.start}: a Rust block other than the quickstart; "
                "show it in docs/rust.md as an example a test runs"
            )
    tested = EXAMPLES_TEST.read_text(encoding="utf-8") if EXAMPLES_TEST.exists() else ""
    for guide in sorted(DOCS.glob("*.md")):
        name = guide.relative_to(ROOT)
        blocks, _ = parse(guide.read_text(encoding="utf-8"))
        for block in blocks:
            if block.language != "rust":
                continue
            match = EXAMPLE_MARKER.match(block.marker or "")
            if not match:
                problems.append(
                    f"{name}:{block.start}: a Rust block without <!-- example: "
                    "tests/e2e-rust/examples/NAME.rs --> before it (no test would run it)"
                )
                continue
            path = (ROOT / match.group(1)).resolve()
            if path.parent != EXAMPLES.resolve() or path.suffix != ".rs":
                problems.append(f"{name}:{block.start}: {match.group(1)} is not a file of tests/e2e-rust/examples/")
                continue
            if not path.exists():
                problems.append(f"{name}:{block.start}: {match.group(1)} does not exist")
                continue
            if path.read_text(encoding="utf-8") != block.body:
                diff = "".join(
                    difflib.unified_diff(
                        path.read_text(encoding="utf-8").splitlines(keepends=True),
                        block.lines[1:-1],
                        match.group(1),
                        f"{name} (line {block.start})",
                    )
                )
                problems.append(f"{name}:{block.start}: the block differs from {match.group(1)}:\n{diff}")
            if f'include!("../examples/{path.name}")' not in tested:
                problems.append(
                    f"{name}:{block.start}: {match.group(1)} is not run by "
                    f"{EXAMPLES_TEST.relative_to(ROOT)}"
                )


# --- Links --------------------------------------------------------------------------

INLINE_LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE_DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$")
HREF = re.compile(r"""\b(?:href|src)\s*=\s*["']([^"']+)["']""")
INLINE_CODE = re.compile(r"(`+).+?\1")


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, markup and punctuation dropped (letters,
    digits, `-` and `_` kept), spaces to `-`."""
    text = re.sub(r"`([^`]*)`", r"\1", heading)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"<[^>]+>", "", text).strip().lower()
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if char in "-_ " or category[0] in "LN" or category == "Mn":
            kept.append(char)
    return "".join(kept).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    _, prose = parse(path.read_text(encoding="utf-8"))
    seen: dict[str, int] = {}
    result = set()
    for _, line in prose:
        match = re.match(r"^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$", line.rstrip("\n"))
        if not match:
            continue
        base = slug(match.group(1))
        count = seen.get(base, 0)
        seen[base] = count + 1
        result.add(base if count == 0 else f"{base}-{count}")
    return result


def check_links(files: list[Path], problems: list[str]) -> None:
    for source in files:
        name = source.relative_to(ROOT)
        _, prose = parse(source.read_text(encoding="utf-8"))
        for number, line in prose:
            text = INLINE_CODE.sub("", line)
            targets = INLINE_LINK.findall(text) + HREF.findall(text)
            definition = REFERENCE_DEFINITION.match(text.rstrip("\n"))
            if definition:
                targets.append(definition.group(1))
            for target in targets:
                if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", target) or target.startswith("//"):
                    continue  # https:, mailto: and other absolute links
                path_part, _, anchor = target.partition("#")
                path_part = path_part.split("?", 1)[0]
                resolved = (source.parent / path_part).resolve() if path_part else source
                if not resolved.exists():
                    problems.append(f"{name}:{number}: the link {target} points at nothing")
                    continue
                if anchor and resolved.suffix == ".md" and resolved.is_file():
                    if anchor not in anchors(resolved):
                        problems.append(
                            f"{name}:{number}: the link {target}: no heading of "
                            f"{resolved.relative_to(ROOT)} has the anchor #{anchor}"
                        )


def sync_quickstarts() -> None:
    """Rewrites README.md's quickstart blocks from the guides' first blocks."""
    lines = README.read_text(encoding="utf-8").splitlines(keepends=True)
    blocks, _ = parse("".join(lines))
    for block in reversed(blocks):
        match = QUICKSTART_MARKER.match(block.marker or "")
        guide = DOCS / f"{match.group(1)}.md" if match else None
        if guide is None or not guide.exists():
            continue
        guide_blocks, _ = parse(guide.read_text(encoding="utf-8"))
        if guide_blocks:
            start = block.start - 1
            lines[start : start + len(block.lines)] = guide_blocks[0].lines
    README.write_text("".join(lines), encoding="utf-8")


def main() -> int:
    if "--sync" in sys.argv[1:]:
        sync_quickstarts()
    problems: list[str] = []
    readme_text = README.read_text(encoding="utf-8")
    count = len(readme_text.splitlines())
    if count > README_MAX_LINES:
        problems.append(f"README.md has {count} lines, more than {README_MAX_LINES}")
    readme_blocks, _ = parse(readme_text)
    check_quickstarts(readme_blocks, problems)
    check_rust_examples(readme_blocks, problems)
    check_links([README, *sorted(DOCS.glob("*.md"))], problems)
    for problem in problems:
        print(f"check-docs: {problem}", file=sys.stderr)
    if problems:
        print(f"check-docs: {len(problems)} problem(s)", file=sys.stderr)
        return 1
    print(f"check-docs: README.md {count} lines; quickstarts, Rust examples and links checked")
    return 0


if __name__ == "__main__":
    sys.exit(main())
