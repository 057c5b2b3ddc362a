"""The cohort table names each learner by their last commit, and says when it was."""

from checks.cohort.git_facts import last_commit
from tests.test_cohort_fakes import git, learner_repo


def test_the_last_commit_gives_its_author_short_sha_and_date(tmp_path):
    repo = learner_repo(tmp_path / "expenses", author="Grace Hopper", date="2025-02-03T09:00:00Z")
    (repo / "notes.txt").write_text("more\n")
    git(repo, "add", "notes.txt")
    git(repo, "commit", "-qm", "More", author="Ada Lovelace", date="2025-03-04T23:30:00+01:00")

    commit = last_commit(repo)

    assert commit is not None
    assert (commit.author, commit.date) == ("Ada Lovelace", "2025-03-04")
    assert git(repo, "rev-parse", "HEAD").startswith(commit.sha) and len(commit.sha) >= 7


def test_a_folder_that_is_not_a_git_repo_has_no_last_commit(tmp_path):
    (tmp_path / "plain").mkdir()

    assert last_commit(tmp_path / "plain") is None


def test_a_plain_folder_inside_someone_elses_repo_has_no_last_commit(tmp_path):
    outer = learner_repo(tmp_path / "learners", author="Someone Else")
    (outer / "ada").mkdir()

    assert last_commit(outer / "ada") is None


def test_a_repo_without_commits_has_no_last_commit(tmp_path):
    (tmp_path / "empty").mkdir()
    git(tmp_path / "empty", "init", "--quiet")

    assert last_commit(tmp_path / "empty") is None
