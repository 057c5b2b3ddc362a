"""What the checker installs itself: plain requirements only (checks/harness/plain.py)."""

from checks.harness.plain import all_plain

EXPORTED = [  # as `uv export` writes a lock: each pin on several lines, with its digests
    "six==1.16.0 \\",
    "    --hash=sha256:1e61c37477a1626458e36f7b1d82aa5c9b094fa4802892072e49de9c60c4c926 \\",
    "    --hash=sha256:8abb2f1d86890a2dfb989f9a77cfcfd3e47c2a354b01111771326f8aa26e0254",
    "# via pinned-expenses",
    "iniconfig==1.1.1 ; python_full_version >= '3.11'",
]


def test_an_exported_lock_is_plain_and_keeps_its_digests():
    assert all_plain(EXPORTED) == [
        "six==1.16.0"
        " --hash=sha256:1e61c37477a1626458e36f7b1d82aa5c9b094fa4802892072e49de9c60c4c926"
        " --hash=sha256:8abb2f1d86890a2dfb989f9a77cfcfd3e47c2a354b01111771326f8aa26e0254",
        'iniconfig==1.1.1; python_full_version >= "3.11"',
    ]


def test_a_folder_a_url_or_another_option_is_not_plain():
    for line in ("-e .", "./vendored/thing", "pkg @ https://example.org/pkg.whl", "--index-url x"):
        assert all_plain(["six==1.16.0", line]) is None, line
