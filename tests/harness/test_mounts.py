"""The mounts a contained program starts with: its user's accounts and its private /tmp."""

import stat
from pathlib import Path

import pytest

from checks.harness import mounts

MACHINE_PASSWD = """root:x:0:0:root:/root:/bin/bash
learner:x:1500:1500:someone else called learner:/home/learner:/bin/bash
old:x:61000:61000:a stale user with the learner's id:/home/old:/bin/sh
postgres:x:101:104::/var/lib/postgresql:/bin/bash
"""
MACHINE_GROUP = "root:x:0:\nold:x:61000:\nusers:x:100:\n"


@pytest.fixture
def etc(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    machine = tmp_path / "etc"
    machine.mkdir()
    (machine / "passwd").write_text(MACHINE_PASSWD)
    (machine / "group").write_text(MACHINE_GROUP)
    monkeypatch.setattr(mounts, "ETC", machine)
    return machine


def test_the_learners_user_is_added_to_copies_of_the_machines_accounts(
    etc: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "mounts"
    folder.mkdir()

    assert mounts.write_accounts(folder, 61000, Path("/work/ws/home"))

    passwd = (folder / "passwd").read_text().splitlines()
    assert passwd == [
        "root:x:0:0:root:/root:/bin/bash",
        "postgres:x:101:104::/var/lib/postgresql:/bin/bash",
        "learner:x:61000:61000:Backend Roadmap learner:/work/ws/home:/bin/sh",
    ]
    group = (folder / "group").read_text().splitlines()
    assert group == ["root:x:0:", "users:x:100:", "learner:x:61000:"]
    assert (etc / "passwd").read_text() == MACHINE_PASSWD, "the machine's file changed"


def test_the_account_files_are_readable_by_all_and_writable_by_the_checker_only(
    etc: Path, tmp_path: Path
) -> None:
    mounts.write_accounts(tmp_path, 61000, Path("/work/ws/home"))

    for name in ("passwd", "group"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o644


@pytest.mark.parametrize("home", ["/work/a:b/home", "/work/a\nb/home"])
def test_a_home_that_cannot_be_written_in_an_entry_gives_no_accounts(
    etc: Path, tmp_path: Path, home: str
) -> None:
    assert not mounts.write_accounts(tmp_path, 61000, Path(home))
    assert not (tmp_path / "passwd").exists()


def test_a_machine_without_a_group_file_gives_no_accounts(etc: Path, tmp_path: Path) -> None:
    (etc / "group").unlink()
    folder = tmp_path / "mounts"
    folder.mkdir()

    assert not mounts.write_accounts(folder, 61000, Path("/work/ws/home"))
    assert list(folder.iterdir()) == []


def test_a_table_lists_its_mounts_in_order_with_odd_paths_escaped(tmp_path: Path) -> None:
    tmp = Path("/work/my space/data\\x/tmp")
    wanted = [*mounts.accounts(tmp_path), (tmp, Path("/tmp"), "rbind")]

    table = mounts.table(tmp_path, wanted)

    assert table.read_text().splitlines() == [
        f"{tmp_path}/passwd /etc/passwd none bind 0 0",
        f"{tmp_path}/group /etc/group none bind 0 0",
        "/work/my\\040space/data\\134x/tmp /tmp none rbind 0 0",
    ]


def test_the_same_mounts_share_one_table_and_other_mounts_get_another(tmp_path: Path) -> None:
    one = mounts.table(tmp_path, mounts.private_tmp(Path("/work/ws/data-1/tmp")))
    again = mounts.table(tmp_path, mounts.private_tmp(Path("/work/ws/data-1/tmp")))
    other = mounts.table(tmp_path, mounts.private_tmp(Path("/work/ws/data-2/tmp")))

    assert one == again != other
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([one.name, other.name])


def test_tmp_is_bound_last_because_its_folder_may_lie_under_tmp() -> None:
    targets = [str(target) for _, target, _ in mounts.private_tmp(Path("/work/ws/tmp"))]

    assert targets[-1] == "/tmp"
    assert set(targets) <= {"/var/tmp", "/dev/shm", "/tmp"}
