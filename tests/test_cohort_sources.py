"""A mentor names a cohort by folders, or by a list file of folders and git URLs."""

import pytest

from checks.cohort.sources import CloneFailed, InputError, Source, clone, read_list, unique
from tests.test_cohort_fakes import git, learner_repo


def test_a_list_file_gives_folders_relative_to_it_and_urls_and_skips_comments(tmp_path):
    (tmp_path / "learners" / "ada").mkdir(parents=True)
    listing = tmp_path / "learners" / "cohort-3.txt"
    listing.write_text(
        "# cohort 3\n"
        "\n"
        "ada   # the one who asks\n"
        "  https://github.com/bo/bookmarks.git  \n"
        "git@github.com:cy/expense-tracker.git\n"
    )

    sources = read_list(listing)

    assert [(s.name, s.path, s.url) for s in sources] == [
        ("ada", tmp_path / "learners" / "ada", None),
        ("bookmarks", None, "https://github.com/bo/bookmarks.git"),
        ("expense-tracker", None, "git@github.com:cy/expense-tracker.git"),
    ]


def test_a_list_line_names_the_learner_by_the_words_before_the_folder_or_url(tmp_path):
    (tmp_path / "ada expenses").mkdir()
    (tmp_path / "bo").mkdir()
    listing = tmp_path / "cohort.txt"
    listing.write_text(
        "Ada Lovelace  'ada expenses'   # a folder with a space, quoted\n"
        '"Bo D."  bo\n'
        "Cy  git@github.com:cy/expense-tracker.git\n"
        "https://github.com/di/bookmarks.git\n"
    )

    sources = unique(read_list(listing))

    assert [(s.label, s.path or s.url) for s in sources] == [
        ("Ada Lovelace", tmp_path / "ada expenses"),
        ("Bo D.", tmp_path / "bo"),
        ("Cy", "git@github.com:cy/expense-tracker.git"),
        ("bookmarks", "https://github.com/di/bookmarks.git"),
    ]


def test_two_learners_given_the_same_label_stop_the_run_at_the_second(tmp_path):
    (tmp_path / "ada").mkdir()
    (tmp_path / "ada-2").mkdir()
    listing = tmp_path / "cohort.txt"
    listing.write_text("Ada  ada\n\nADA  ada-2\n")

    with pytest.raises(InputError) as raised:
        read_list(listing)

    assert str(raised.value) == (
        f"{listing} line 3: the label 'ADA' is already on line 1; "
        "give each learner a label of their own"
    )


def test_learners_without_labels_are_named_by_as_much_of_their_path_as_tells_them_apart(
    tmp_path,
):
    for folder in ("ada/expense-tracker", "bo/expense-tracker", "cy/bookmarks", "Cy"):
        (tmp_path / folder).mkdir(parents=True)
    given = [Source.of_path(tmp_path / f) for f in ("ada/expense-tracker", "bo/expense-tracker")]
    given += [Source.of_path(tmp_path / "cy" / "bookmarks", label="bookmarks")]
    given += [Source.of_path(tmp_path / "Cy"), Source.of_url("https://example.org/di/bookmarks")]

    labels = [source.label for source in unique(given)]

    assert labels == [
        "ada/expense-tracker",
        "bo/expense-tracker",
        "bookmarks",  # the mentor's own
        "Cy",
        "di/bookmarks",  # "bookmarks" is taken by a label
    ]


def test_a_bad_line_in_a_list_file_is_named_with_its_line_number(tmp_path):
    listing = tmp_path / "cohort.txt"
    listing.write_text("# cohort 3\n\nada-expenses\n")

    with pytest.raises(InputError) as raised:
        read_list(listing)

    message = str(raised.value)
    assert "cohort.txt line 3: " in message and "ada-expenses does not exist" in message
    assert "\n" not in message


def test_a_missing_list_file_is_one_readable_line(tmp_path):
    with pytest.raises(InputError, match=r"cannot read .*nowhere\.txt"):
        read_list(tmp_path / "nowhere.txt")


def test_folders_of_the_same_name_get_different_report_subfolders_that_stay_the_same(tmp_path):
    first, second = tmp_path / "a" / "expense-tracker", tmp_path / "b" / "expense-tracker"
    first.mkdir(parents=True)
    second.mkdir(parents=True)
    given = [Source.of_path(first), Source.of_path(second), Source.of_path(first)]

    once, again = unique(given), unique(list(reversed(given)))

    assert len(once) == 2, "a folder given twice is graded once"
    assert once[0].folder != once[1].folder
    assert all(s.folder.startswith("expense-tracker-") for s in once)
    assert {s.key: s.folder for s in once} == {s.key: s.folder for s in again}


def test_a_url_is_cloned_with_its_last_50_commits(tmp_path):
    origin = learner_repo(tmp_path / "origin")
    for n in range(54):
        git(origin, "commit", "-qm", f"step {n}", "--allow-empty")

    copy = clone(f"file://{origin}", tmp_path / "clone")

    assert (copy / "README.md").is_file()
    assert git(copy, "rev-list", "--count", "HEAD") == "50"


def test_a_url_that_cannot_be_cloned_says_why(tmp_path):
    with pytest.raises(CloneFailed) as raised:
        clone(f"file://{tmp_path / 'gone'}", tmp_path / "clone")

    assert "gone' does not appear to be a git repository" in str(raised.value)
