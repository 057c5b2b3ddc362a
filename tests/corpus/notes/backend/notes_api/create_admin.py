"""Make an admin from the server's shell: python -m notes_api.create_admin EMAIL PASSWORD.

Admins never come from the public sign-up; whoever can run this can read the database
anyway. Leave PASSWORD out to be asked for it.
"""

import argparse
import getpass
import sys

from email_validator import EmailNotValidError, validate_email

from notes_api import services
from notes_api.database import unit_of_work
from notes_api.domain import NotesError

MIN_PASSWORD = 8


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m notes_api.create_admin")
    parser.add_argument("email")
    parser.add_argument("password", nargs="?")
    args = parser.parse_args(argv)
    password = args.password or getpass.getpass("Password for the new admin: ")
    try:
        email = validate_email(args.email, check_deliverability=False).normalized
    except EmailNotValidError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    if len(password) < MIN_PASSWORD:
        print(f"error: a password has at least {MIN_PASSWORD} characters", file=sys.stderr)
        return 1
    try:
        with unit_of_work() as store:
            admin = services.sign_up(store, email, password, is_admin=True)
    except NotesError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"Created admin {admin.email} (id {admin.id}).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
