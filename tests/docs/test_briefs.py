"""The stage briefs show every preset its own commands and output, and read well anywhere.

A brief is read on GitHub (stages/NN-slug/README.md) and on the site, which embeds the same
file. The per-domain examples sit in <details> blocks, one per preset of
template/cookiecutter.json, and these tests hold each example to the preset's real fields
and to the shapes the checker expects.
"""

from __future__ import annotations

import json
import re
import tomllib
import unicodedata
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.docs.conftest import ROOT, Build

PRESETS: dict[str, Any] = json.loads((ROOT / "template" / "cookiecutter.json").read_text("utf-8"))[
    "_presets"
]
BRIEFS = sorted(ROOT.glob("stages/*/README.md"))
WITH_EXAMPLES = ("01-cli", "02-layers", "03-api", "04-auth")
SITE_URL = re.search(r"^site_url:\s*(\S+)", (ROOT / "mkdocs.yml").read_text("utf-8"), re.M)
NUMBERS = ("decimal", "int")
DASH = "\N{EN DASH}"  # in a range, as the briefs write one

DETAILS = re.compile(r"<details markdown>\n<summary>(.*?)</summary>\n(.*?)\n</details>", re.S)
FENCE = re.compile(r"^```(\w+)\n(.*?)^```$", re.S | re.M)
# Material for MkDocs syntax that GitHub shows as plain text, and GitHub's own alerts, which
# the site shows as plain text.
ONE_SITE_ONLY = {
    "an admonition (!!! or ???)": re.compile(r"^\s*(!!!|\?\?\?\+?)\s", re.M),
    'a content tab (=== "…")': re.compile(r'^\s*===\s+"', re.M),
    "a snippet include (--8<--)": re.compile(r"--8<--"),
    "attributes on a code fence (``` { … })": re.compile(r"^\s*```\s*\{", re.M),
    "a GitHub alert (> [!NOTE])": re.compile(r"^>\s*\[!\w+\]", re.M),
}


def brief(stage: str) -> str:
    return (ROOT / "stages" / stage / "README.md").read_text("utf-8")


def names(domain: str) -> tuple[str, str]:
    """The preset's default command and package name, as the template derives them."""
    slug = PRESETS[domain]["project_name"].lower().replace(" ", "-")
    return slug, slug.replace("-", "_")


def example(stage: str, domain: str) -> str:
    """The <details> block (summary, then body) whose summary starts with the preset's name."""
    found = [
        f"{summary}\n{body}"
        for summary, body in DETAILS.findall(brief(stage))
        if summary.startswith(domain.capitalize())
    ]
    assert len(found) == 1, f"stages/{stage}/README.md has no example for {domain}"
    return found[0]


def fences(block: str, language: str) -> list[str]:
    return [code for lang, code in FENCE.findall(block) if lang == language]


def session(block: str) -> list[tuple[str, str]]:
    """(command, output) pairs of the block's console sessions."""
    pairs: list[tuple[str, str]] = []
    for code in fences(block, "console"):
        command: str | None = None
        output: list[str] = []
        for line in code.replace("\\\n", " ").splitlines():
            if line.startswith("$ "):
                if command is not None:
                    pairs.append((command, "\n".join(output)))
                command, output = " ".join(line[2:].split()), []
            else:
                output.append(line)
        if command is not None:
            pairs.append((command, "\n".join(output)))
    return pairs


def printed(pairs: list[tuple[str, str]], pattern: str) -> Any:
    """The JSON printed by the one command that matches `pattern`."""
    outputs = [out for command, out in pairs if re.fullmatch(pattern, command)]
    assert len(outputs) == 1, f"expected one command like {pattern!r}, got {len(outputs)}"
    return json.loads(outputs[0])


def same(fields: dict[str, Any], sent: dict[str, Any], got: dict[str, Any]) -> bool:
    """Whether `got` holds the values sent, as the checker compares them."""
    return all(
        Decimal(str(got[k])) == Decimal(str(v)) if fields[k]["type"] in NUMBERS else got[k] == v
        for k, v in sent.items()
    )


@pytest.mark.parametrize("domain", PRESETS)
def test_stage_1_shows_each_preset_what_its_commands_print(domain: str) -> None:
    preset, (slug, _) = PRESETS[domain], names(domain)
    fields, summary = preset["fields"], preset["summary"]
    block = example("01-cli", domain)
    pairs = session(block)

    adds = [command for command, _ in pairs if command.startswith(f"{slug} add ")]
    required = [name for name, spec in fields.items() if spec["required"]]
    assert adds and all(f"--{name} " in add for add in adds for name in required)
    listed = printed(pairs, rf"{slug} list --json")
    assert listed and all(set(record) == {"id", *fields} for record in listed)
    shown = printed(pairs, rf"{slug} show (\d+) --json")
    assert shown in listed, "`show ID --json` prints the record that `list` lists"
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for record in listed:
        field = summary.get("field")
        totals[record[summary["group_by"]]] += Decimal(str(record[field])) if field else 1
    got = printed(pairs, rf"{slug} summary --json")
    assert {group: Decimal(str(value)) for group, value in got.items()} == totals
    failures = [
        out.splitlines() for command, out in pairs if command.endswith('echo "exit code: $?"')
    ]
    assert failures, "no example of an error"
    for lines in failures:
        assert len(lines) == 2 and lines[0].startswith("error: "), lines
        assert lines[1] != "exit code: 0"
    assert f"<i>{preset['record']}</i>" in block.partition("\n")[0], "the summary names the record"
    assert f"no {preset['record']} with id" in block


def milestone(stage: str, number: int) -> str:
    """The text of "### N. ..." in a brief, up to the next heading."""
    found = re.search(rf"^### {number}\. .*?(?=^##)", brief(stage), re.S | re.M)
    assert found, f"stages/{stage}/README.md has no milestone {number}"
    return found.group(0)


def preset_line(text: str, domain: str) -> str:
    """The one paragraph of `text` that starts "**Domain:**", joined into one line."""
    found = [
        " ".join(part.split())
        for part in text.split("\n\n")
        if part.startswith(f"**{domain.capitalize()}:**")
    ]
    assert len(found) == 1, f"no line for {domain} (or more than one)"
    return found[0]


@pytest.mark.parametrize("domain", PRESETS)
def test_stage_1_says_what_to_refuse_and_how_to_summarise_in_each_presets_own_fields(
    domain: str,
) -> None:
    preset = PRESETS[domain]
    refuse = preset_line(milestone("01-cli", 4), domain)
    for name in preset["samples"]["invalid"]:  # the value the checker sends to be refused
        assert name in refuse, refuse
    for name, spec in preset["fields"].items():
        if spec["type"] == "int" and "min" in spec:  # bounds said as the preset sets them
            assert name in refuse and f"{spec['min']}{DASH}{spec['max']}" in refuse, refuse
    summary = preset["summary"]
    summarise = preset_line(milestone("01-cli", 5), domain)
    verb = "add up" if summary.get("field") else "count"
    assert summarise.startswith(f"**{domain.capitalize()}:** {verb} ")
    assert f"per {summary['group_by']}" in summarise and summary.get("field", "") in summarise


def test_stage_1_gives_the_habits_advice_a_newcomer_missed_at_milestone_4() -> None:
    assert preset_line(milestone("01-cli", 4), "habits") == (
        "**Habits:** reject days `date.fromisoformat` refuses and minutes outside "
        f"1{DASH}1440, "
        "including `2.5`."
    )


def test_stage_1_says_how_to_look_for_the_tracebacks_the_checker_cannot_provoke() -> None:
    storage = " ".join(milestone("01-cli", 6).split())
    assert "`DATA_FILE=/tmp` (a folder, not a file)" in storage
    assert "a record in your data file with one of its keys deleted by hand" in storage


@pytest.mark.parametrize("domain", PRESETS)
def test_stage_2_shows_each_preset_its_table_and_layers(domain: str) -> None:
    preset, (slug, package) = PRESETS[domain], names(domain)
    block = example("02-layers", domain)

    (table,) = fences(block, "python")
    assert "__tablename__" in table
    for name in preset["fields"]:
        assert f"    {name}: Mapped[" in table, f"the table has no column {name}"
    (manifest,) = fences(block, "toml")
    layers = tomllib.loads(manifest)["tool"]["roadmap"]["layers"]
    assert layers == {layer: [f"{package}.{layer}"] for layer in ("cli", "services")} | {
        "domain": [f"{package}.models"]
    }
    pairs = session(block)
    assert any(command.startswith(f"{slug} add ") for command, _ in pairs)
    rows = [out for command, out in pairs if command.startswith("sqlite3 ")]
    assert rows and rows[0].count("|") == len(preset["fields"]), "a row: the id and each field"
    assert f"<i>{preset['record']}</i>" in block.partition("\n")[0], "the summary names the record"


@pytest.mark.parametrize("domain", PRESETS)
def test_stage_3_shows_each_preset_its_endpoints_and_what_they_answer(domain: str) -> None:
    preset, (_, package) = PRESETS[domain], names(domain)
    fields = preset["fields"]
    block = example("03-api", domain)

    (manifest,) = fences(block, "toml")
    roadmap = tomllib.loads(manifest)["tool"]["roadmap"]
    api = roadmap["api"]
    assert api["app"] == f"{package}.api.main:app"
    assert set(api["update_fields"]) <= set(fields)
    assert roadmap["layers"] == {"api": [f"{package}.api"]}
    pairs = session(block)
    [(create, created)] = [(c, o) for c, o in pairs if c.startswith("curl -s -X POST")]
    body = json.loads(re.search(r"-d '(.*?)'", create).group(1))  # type: ignore[union-attr]
    assert set(body) == set(fields), "a create sends every field"
    for name, value in body.items():
        number = fields[name]["type"] in NUMBERS
        assert isinstance(value, int | float) == number, f"{name} sent as {value!r}"
    record = json.loads(created)
    assert set(record) == {"id", *fields} and same(fields, body, record)
    [(patch, patched)] = [(c, o) for c, o in pairs if c.startswith("curl -s -X PATCH")]
    changes = json.loads(re.search(r"-d '(.*?)'", patch).group(1))  # type: ignore[union-attr]
    assert set(changes) == set(api["update_fields"])
    assert json.loads(patched) == {**record, **changes}
    page = printed(pairs, r'curl -s "\$url\?limit=20&offset=0"')
    assert page["items"] == [{**record, **changes}] and page["total"] == 1
    assert api["collection"] in block and f"no {preset['record']} with id 1" in block


@pytest.mark.parametrize("domain", PRESETS)
def test_stage_4_shows_each_preset_its_tables_and_a_session_with_an_admin_and_a_user(
    domain: str,
) -> None:
    preset, (slug, package) = PRESETS[domain], names(domain)
    fields, record = preset["fields"], preset["record"]
    block = example("04-auth", domain)
    user_env = f"{package.upper()}_USER"

    (manifest,) = fences(block, "toml")
    roadmap = tomllib.loads(manifest)["tool"]["roadmap"]
    assert roadmap["auth"]["cli_user_env"] == user_env
    assert roadmap["auth"]["create_admin"][0] == "create-admin"
    assert roadmap["migrations"]["upgrade"] == ["alembic", "upgrade", "head"]
    pairs = session(block)
    assert any(command.startswith(f"{slug} create-admin ") for command, _ in pairs)
    [add] = [c for c, _ in pairs if c.startswith(f"{user_env}=admin {slug} add ")]
    assert all(f"--{name} " in add for name, spec in fields.items() if spec["required"])
    [(create, created)] = [
        (c, o)
        for c, o in pairs
        if c.startswith("curl -s -X POST $url/") and "/users" not in c and "/auth/" not in c
    ]
    body = json.loads(re.search(r"-d '(.*?)'", create).group(1))  # type: ignore[union-attr]
    assert set(body) == set(fields), "a create sends every field"
    for name, value in body.items():
        number = fields[name]["type"] in NUMBERS
        assert isinstance(value, int | float) == number, f"{name} sent as {value!r}"
    stored = json.loads(created)
    assert set(stored) == {"id", "owner_id", *fields} and same(fields, body, stored)
    listed = printed(pairs, rf"{user_env}=admin {slug} list --json")
    assert stored in listed, "the admin lists the user's record too"
    assert all(set(each) == {"id", "owner_id", *fields} for each in listed)
    assert len({each["owner_id"] for each in listed}) == 2, "the admin's and the user's"
    assert f"no {record} with id 1" in block
    assert '"Authorization: Bearer $TOKEN"' in block, "tokens go in double quotes"


@pytest.mark.parametrize("path", BRIEFS, ids=lambda path: path.parent.name)
def test_a_brief_uses_no_syntax_that_only_one_of_github_and_the_site_renders(path: Path) -> None:
    text = path.read_text("utf-8")

    for what, pattern in ONE_SITE_ONLY.items():
        assert not pattern.search(text), f"{path.parent.name} uses {what}; use <details> or a >"
    # The site renders Markdown inside <details> only with the markdown attribute (md_in_html),
    # GitHub only after a blank line that follows the summary.
    for tag in re.findall(r"<details[^>]*>", text):
        assert tag == "<details markdown>", tag
    assert text.count("<details markdown>\n<summary>") == text.count("<details")
    assert not re.search(r"</summary>\n(?!\n)", text), "a blank line must follow </summary>"


def slug(heading: str) -> str:
    """The anchor the site's toc extension gives a heading."""
    text = unicodedata.normalize("NFKD", heading).encode("ascii", "ignore").decode()
    return re.sub(r"[-\s]+", "-", re.sub(r"[^\w\s-]", "", text).strip().lower())


@pytest.mark.parametrize("stage", WITH_EXAMPLES)
def test_where_a_brief_names_the_manifest_reference_it_links_to_it(stage: str) -> None:
    assert SITE_URL, "mkdocs.yml has no site_url"
    reference = ROOT / "docs" / "reference" / "manifest.md"
    headings = re.findall(r"^#+ (.*)$", reference.read_text("utf-8"), re.M)
    anchors = {slug(heading) for heading in headings}

    paragraphs = [" ".join(p.split()) for p in brief(stage).split("\n\n")]
    paragraphs = [p for p in paragraphs if "manifest reference" in p]

    assert paragraphs, f"stages/{stage}/README.md does not name the manifest reference"
    for paragraph in paragraphs:
        links = re.findall(r"\]\(([^)]*reference/manifest[^)]*)\)", paragraph)
        assert links, f"not linked: {paragraph}"
        for link in links:
            page, _, anchor = link.partition("#")
            assert page == f"{SITE_URL.group(1)}reference/manifest/", link
            assert not anchor or anchor in anchors, f"no heading for #{anchor}"


@pytest.mark.parametrize("stage", WITH_EXAMPLES)
def test_the_site_renders_the_code_inside_each_example(site: Build, stage: str) -> None:
    html = site.page(f"stages/{stage}/")
    blocks = re.findall(r"<details>\s*<summary>(.*?)</summary>(.*?)</details>", html, re.S)
    examples = {
        summary: body
        for summary, body in blocks
        if summary.startswith(tuple(domain.capitalize() for domain in PRESETS))
    }

    assert len(examples) == len(PRESETS), list(examples)
    for summary, body in examples.items():
        assert '<div class="highlight">' in body, f"no highlighted code in {summary}"
        assert "```" not in body and "&lt;details" not in body
