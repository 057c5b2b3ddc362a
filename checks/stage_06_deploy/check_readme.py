"""A README a hiring manager reads: its sections, its links, its decisions."""

from __future__ import annotations

import re
import shutil
from pathlib import Path, PurePosixPath

from checks.harness import environment, process
from checks.harness.catalog import check
from checks.harness.doors.deploy import markdown, setup
from checks.harness.doors.deploy.files import Deployment
from checks.harness.doors.repo import git
from checks.harness.doors.storage import database
from checks.harness.failure import CheckFailed, NotApplicable, outcome
from checks.harness.manifest import Manifest
from checks.harness.settings import Settings
from checks.harness.workspace import Workspace

# Each section a reader looks for, and words its heading may use.
SECTIONS = {
    "the problem": ("problem", "what it does", "why", "overview", "about", "motivation"),
    "the architecture": ("architecture", "design", "how it works", "structure", "components"),
    "setup": (
        "setup",
        "set up",
        "install",
        "getting started",
        "quickstart",
        "quick start",
        "run it",
        "running",
    ),
    "usage": ("usage", "use", "using", "command line", "api", "example", "endpoints"),
    "tests": ("test",),
    "trade-offs": ("trade-off", "tradeoff", "trade off", "decision", "choices", "alternatives"),
    "what comes next": (
        "next",
        "roadmap",
        "future",
        "todo",
        "to do",
        "improvement",
        "limitation",
    ),
}
ADR_PARTS = ("context", "decision", "consequences")
MIN_ADRS = 3
SHOWN = 10


def _matches(title: str, words: tuple[str, ...]) -> bool:
    lowered = title.lower()
    return any(re.search(rf"(?<![a-z]){re.escape(word)}", lowered) for word in words)


def _diagram(section: markdown.Section) -> bool:
    """A mermaid block or an image in the section."""
    if any(language == "mermaid" for language, _ in section.blocks):
        return True
    return bool(re.search(r"!\[[^\]]*\]\(|<img\b", section.text, re.I))


@check("readme-sections")
def check_readme_sections(deployment: Deployment) -> None:
    """README sections: problem, architecture (a diagram), setup, usage, tests, trade-offs, next.

    Why: the README is what a hiring manager, a reviewer or a new colleague reads first,
    often the only thing. Each section answers a question they will ask: what does it
    solve, how is it built, how do I run it, how do I know it works, what did you choose
    and why, what would you do with more time.

    Fix: add a heading for each missing section (`## Architecture`, `## Trade-offs`...);
    draw the architecture as a `mermaid` code block (GitHub renders it) or an image, and
    link your ADRs from the trade-offs.
    """
    document = deployment.readme
    headings = document.headings()
    missing = [
        name for name, words in SECTIONS.items() if not any(_matches(h, words) for h in headings)
    ]
    architecture = [s for s in document.sections if _matches(s.title, SECTIONS["the architecture"])]
    shown = deployment.shown(deployment.readme_path)
    if not missing and not any(_diagram(section) for section in architecture):
        missing.append("a diagram of the architecture (a ```mermaid block or an image)")
    if missing:
        raise CheckFailed(
            f"{shown} has no section for {', '.join(missing)}",
            ran=f"read the headings of {shown}",
            got="headings: " + ("; ".join(headings) or "none"),
            expected="a heading for each of: " + ", ".join(SECTIONS),
        )


def _tracked(deployment: Deployment) -> set[str]:
    """The repository's files (and their folders), relative to the project's folder."""
    files = set(git.tracked_files(deployment.workspace))
    folders = {str(parent) for name in files for parent in PurePosixPath(name).parents}
    return files | folders


def _resolve(deployment: Deployment, target: str) -> str | None:
    """The path (relative to the project) a README link names, or None when it leaves
    the repository."""
    readme_folder = deployment.readme_path.parent
    path = markdown.path_of(target)
    if not path:
        return "."
    base = deployment.workspace.repository if path.startswith("/") else readme_folder
    resolved = Path(base, path.lstrip("/")).resolve()
    root = deployment.root.resolve()
    if not resolved.is_relative_to(deployment.workspace.repository.resolve()):
        return None
    return str(resolved.relative_to(root)) if resolved.is_relative_to(root) else str(resolved)


@check("readme-links-resolve")
def check_readme_links_resolve(deployment: Deployment) -> None:
    """Every relative link and image in your README names a file committed in your repository.

    Why: a broken link in a README is the first thing a reader clicks and the first sign
    of a project nobody maintains. A link to a file you never committed works on your
    laptop and nowhere else.

    Fix: correct the path (relative to the README's folder), or commit the file it names:
    `git ls-files` lists what a reader of your repository has.
    """
    tracked = _tracked(deployment)
    broken = []
    for link in deployment.readme.links:
        if not markdown.is_relative(link.target):
            continue
        path = _resolve(deployment, link.target)
        if path is None or path.rstrip("/") not in tracked | {"."}:
            kind = "image" if link.image else "link"
            broken.append(f"line {link.line}: {kind} to {link.target}")
    if broken:
        shown = deployment.shown(deployment.readme_path)
        raise CheckFailed(
            f"{len(broken)} link(s) in {shown} lead nowhere",
            ran=f"resolve each relative link of {shown} against `git ls-files`",
            got="\n".join(broken[:SHOWN]),
            expected="every relative link naming a committed file",
        )


def _is_adr(text: str) -> bool:
    headings = " ".join(
        line.lower() for line in text.splitlines() if re.match(r"\s*(#|\*\*|[A-Z][a-z]+:)", line)
    )
    return all(part in headings for part in ADR_PARTS)


@check("adrs-linked")
def check_adrs_linked(deployment: Deployment) -> None:
    """Your README links at least three ADRs, each with its context, decision and consequences.

    Why: trade-offs are what an interviewer asks about. An architecture decision record
    says what was decided, in what situation, and what it costs; linked from the README,
    it shows a reader that your choices were choices.

    Fix: write each decision in `docs/decisions/NNNN-title.md` with `## Context`,
    `## Decision` and `## Consequences`, and link them from the README's trade-offs.
    """
    folder = deployment.manifest.deploy.decisions
    linked: list[str] = []
    for link in deployment.readme.links:
        if not markdown.is_relative(link.target):
            continue
        path = _resolve(deployment, link.target)
        if path and PurePosixPath(path).is_relative_to(folder) and path.endswith(".md"):
            linked.append(path)
    linked = list(dict.fromkeys(linked))
    good = [
        path
        for path in linked
        if (deployment.root / path).is_file() and _is_adr(deployment.text(deployment.root / path))
    ]
    if len(good) < MIN_ADRS:
        incomplete = [path for path in linked if path not in good]
        raise CheckFailed(
            f"your README links {len(good)} complete ADR(s) in {folder}/",
            ran=f"follow the README's links into {folder}/ and read each",
            got=("linked: " + ", ".join(linked[:SHOWN]) if linked else "no link into it")
            + (
                f"\nwithout context, decision and consequences: {', '.join(incomplete[:SHOWN])}"
                if incomplete
                else ""
            ),
            expected=f"at least {MIN_ADRS} ADRs, each with Context, Decision and Consequences",
        )


@check("readme-setup-runs", advisory=True)
def check_readme_setup_runs(
    deployment: Deployment, installed: Workspace, manifest: Manifest, run_settings: Settings
) -> None:
    """The setup commands of your README that need no container engine run as written.

    Why: a setup section that no longer works is where a reader gives up: a renamed
    command, a step that was never written down, a file the commands expect but the
    repository lacks. The checker pastes them, as a reader would.

    Fix: follow your own setup section in a fresh clone, and correct the first command
    that fails (the checker leaves out installs, containers, servers and `cd`, and gives
    the database itself).
    """
    sections = setup.setup_sections(deployment.readme, SECTIONS["setup"])
    protected = (manifest.database.url_env, *(name for _, name in manifest.database.parts))
    commands = setup.commands(sections, protected)
    runnable = [command for command in commands if not command.skipped][: setup.MAX_COMMANDS]
    if not runnable:
        raise NotApplicable(
            "your README's setup section has no command the checker can run here (it "
            "leaves out installs, containers, servers and cd)"
        )
    copy = installed.scratch("setup") / "project"
    shutil.copytree(installed.project, copy, symlinks=True)
    process.hand_over_all(copy)
    scratch = copy.parent
    for own in ("home", "tmp"):
        (scratch / own).mkdir()
        process.hand_over(scratch / own)
    env = installed.env(**environment.with_database(manifest, database.empty()))
    env |= {"HOME": str(scratch / "home"), "TMPDIR": str(scratch / "tmp")}
    exports: list[str] = []
    done_before: list[str] = []
    for command in runnable:
        script = "; ".join([*exports, command.runnable])
        done = process.run(["sh", "-c", script], cwd=copy, env=env, timeout=run_settings.timeout)
        if command.runnable.startswith("export "):
            exports.append(command.runnable)
        if not done.ok and setup.asked_for_input(done.stdout + done.stderr):
            done_before.append(f"{command.text}  # left out: it asks for input")
            continue  # a person types there; the checker has no keyboard
        if not done.ok:
            skipped = [f"{c.text}  # left out: {c.skipped}" for c in commands if c.skipped]
            raise CheckFailed(
                "a setup command of your README fails",
                ran="\n".join([*done_before, command.text]),
                got=outcome(done),
                expected="exit code 0"
                + (f"\n(left out: {'; '.join(skipped[:4])})" if skipped else ""),
            )
        done_before.append(command.text)
