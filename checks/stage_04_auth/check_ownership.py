"""Ownership: a user reaches their own records only; an admin reaches everyone's."""

from collections.abc import Callable
from typing import Any

from checks.harness.catalog import check
from checks.harness.doors.http import accounts
from checks.harness.doors.http.client import Answer
from checks.harness.doors.http.fixtures import Users
from checks.harness.doors.http.resource import LearnerApi
from checks.harness.failure import Blocked, CheckFailed
from checks.harness.manifest import Manifest
from checks.harness.values import ValueMaker

OWNER_FIELDS = ("owner_id", "user_id")  # what an owner field is usually called
NOT_YOURS = (404, 403)  # 404 hides that the record exists; 403 is accepted (ADR in the brief)


def _two_users(users: Users) -> tuple[LearnerApi, LearnerApi]:
    """Two ordinary users of this worker; each check adds records of its own for them."""
    return users.api_of("owner"), users.api_of("other")


def _refused(answer: Answer, doing: str) -> None:
    if answer.status not in NOT_YOURS:
        raise answer.failure(
            f"another user's {doing} was not refused",
            expected="404, as if the record did not exist (403 is accepted)",
            fix="pass the current user to the service and look records up by id AND owner "
            "(`WHERE id = :id AND owner_id = :user`), unless the user is an admin; a record "
            "of someone else is then simply not found",
        )


def _unchanged(owner: LearnerApi, created: dict[str, Any], after: str) -> None:
    again = owner.get(owner.id_of(created))
    again.expect(200, doing=f"reading the record back as its owner after {after}")
    fields = owner.manifest.fields
    changed = [k for k in fields if k in created and again.json().get(k) != created[k]]
    if changed:
        raise again.failure(
            f"the owner's record changed after {after}: {', '.join(changed)}",
            expected="the record exactly as its owner left it",
        )


@check("others-records-are-404")
def check_others_records_are_404(
    stranger_api: LearnerApi, users: Users, values: ValueMaker
) -> None:
    """Another user asking for your record by id gets 404 (403 accepted).

    Why: ids are easy to guess (they count up). If the API hands out any record whose id
    it is given, every user reads everyone's data: an IDOR, the first item of the OWASP
    API Security Top 10 (API1:2023, broken object level authorization).

    Fix: check ownership in the service layer, where every door passes: the service gets
    the current user and looks a record up by id and owner.
    """
    api = stranger_api  # not logged in: the users act through their own logins
    owner, other = _two_users(users)
    created = owner.create_ok(values.record(api.manifest.fields))
    _refused(other.get(owner.id_of(created)), f"{api.manifest.record}, read by id,")


@check("others-records-hidden", advisory=True)
def check_others_records_hidden(users: Users, values: ValueMaker) -> None:
    """Another user's record answers 404, as an id nobody has does, rather than 403.

    Why: a 403 confirms that the id a user guessed exists; walking the ids (1, 2, 3...)
    then maps which records are live, which were deleted and which to aim at next (OWASP
    API1:2023). A 404 tells them nothing, as GitHub answers for a private repository.
    others-records-are-404 accepts a 403, so this is advice: weigh it in your ADR.

    Fix: in the service's owner-aware lookup, raise the same not-found error for someone
    else's record as for a missing one; the course's trade-off page "404 or 403" shows how.
    """
    owner, other = _two_users(users)
    created = owner.create_ok(values.record(owner.manifest.fields))
    answer = other.get(owner.id_of(created))
    if answer.status == 403:
        raise answer.failure(
            "another user's record answers 403, which tells them the id exists",
            expected="404, exactly as for an id that nobody has",
        )
    if answer.status != 404:
        raise Blocked(
            "04-auth/others-records-are-404", "another user's record is not refused at all"
        )


@check("others-cannot-change")
def check_others_cannot_change(stranger_api: LearnerApi, users: Users, values: ValueMaker) -> None:
    """Another user can neither update nor delete your record, and it stays as it was.

    Why: reading someone's data is bad; changing or deleting it is worse, and the check
    for it is easy to forget on the routes that are not GET (OWASP API1:2023).

    Fix: route update and delete through the same owner-aware lookup as reading, in the
    service layer, so no route can skip it.
    """
    api = stranger_api  # not logged in: the users act through their own logins
    owner, other = _two_users(users)
    fields = api.manifest.fields
    created = owner.create_ok(values.record(fields))
    changes = {f: values.value(fields[f]) for f in api.config.update_fields}
    _refused(other.update(created, changes), f"{api.manifest.record}, updated,")
    _unchanged(owner, created, "another user's update")
    _refused(other.delete(owner.id_of(created)), f"{api.manifest.record}, deleted,")
    _unchanged(owner, created, "another user's delete")


@check("list-shows-only-own")
def check_list_shows_only_own(stranger_api: LearnerApi, users: Users, values: ValueMaker) -> None:
    """A user's listing holds their own records only.

    Why: the listing is where a leak is widest: one request, everyone's data (OWASP
    API1:2023).

    Fix: filter the listing query by the current user in the service (admins excepted).
    """
    api = stranger_api  # not logged in: the users act through their own logins
    owner, other = _two_users(users)
    created = owner.create_ok(values.record(api.manifest.fields))
    mine = other.create_ok(values.record(api.manifest.fields))
    listed = other.listing()
    ids = {other.id_of(record) for record in listed}
    if owner.id_of(created) in ids or other.id_of(mine) not in ids:
        raise CheckFailed(
            "a user's listing is not exactly their own records",
            ran=other.transcript.steps[-1] if other.transcript.steps else None,
            got=f"{len(listed)} records, ids {sorted(map(str, ids))[:10]}",
            expected=f"this user's own records, the one just created (id "
            f"{other.id_of(mine)}) among them, and not another user's (id "
            f"{owner.id_of(created)})",
        )


@check("owner-not-from-body")
def check_owner_not_from_body(users: Users, manifest: Manifest, values: ValueMaker) -> None:
    """An `owner_id` sent in a create body never makes someone else the owner.

    Why: if the owner comes from the request, anyone can put records in another user's
    account (or take theirs over with an update): mass assignment again (OWASP
    API3:2023).

    Fix: leave owner_id out of the create and update schemas and set it in the service
    from the current user.
    """
    auth = manifest.require_auth()
    owner, other = _two_users(users)
    me = owner.request("GET", auth.me)
    me.expect(200, doing=f"asking {auth.me}", step=accounts.LOGIN)
    owner_id = me.json().get("id") if isinstance(me.json(), dict) else None
    for name in OWNER_FIELDS:  # one at a time: an unknown field may be refused on its own
        body = other.body(values.record(manifest.fields)) | {name: owner_id}
        answer = other.request("POST", other.config.create_path, body=body)
        if answer.status == 422:
            continue  # refused: fine
        answer.expect(200, 201, 422, doing=f"creating a record with another user's {name}")
        created = answer.json()
        planted = other.id_of(created, answer)
        if _owned_by(owner, other, created, planted, name, owner_id):
            raise answer.failure(
                f"a record created with another user's {name} became theirs",
                expected="a record owned by the user who created it (or 422)",
            )


def _owned_by(
    owner: LearnerApi,
    creator: LearnerApi,
    created: Any,
    planted: Any,
    name: str,
    owner_id: Any,
) -> bool:
    """Whether the record `creator` made with `name` = `owner_id` belongs to the owner:
    as the record says (its own owner field), else as the API's doors show it (the owner
    may read it and its creator may not). An API that lets anyone read any record shows
    nothing about ownership: that is others-records-are-404's failure, and this check
    stands on it."""
    said = created.get(name) if isinstance(created, dict) else None
    if said is not None and owner_id is not None:
        return str(said) == str(owner_id)
    by_owner, by_creator = owner.get(planted).status, creator.get(planted).status
    if by_owner == 200 and by_creator == 200:
        raise Blocked(
            "04-auth/others-records-are-404",
            "both users can read the record, so who owns it cannot be told",
        )
    return by_owner == 200 and by_creator != 200


@check("admin-only-route-403")
def check_admin_only_route_403(users: Users, manifest: Manifest) -> None:
    """A normal user on the admin-only route gets 403.

    Why: "logged in" is not "allowed": an admin route checked only for a token lets every
    user act as an admin (OWASP API5:2023, broken function level authorization).

    Fix: add a dependency that requires `user.is_admin` and raises 403 otherwise, and
    put it on every admin route.
    """
    auth = manifest.require_auth()
    answer = users.api_of("other").request("GET", auth.admin_only)
    answer.expect(403, doing=f"asking {auth.admin_only} as a normal user")


@check("admin-sees-all")
def check_admin_sees_all(
    operator_login: Callable[..., LearnerApi], users: Users, values: ValueMaker, manifest: Manifest
) -> None:
    """The admin can read any user's record.

    Why: support and moderation need it, and it shows the ownership rule lives in one place
    that knows about roles, not in scattered route code.

    Fix: in the service's owner-aware lookup, skip the owner filter when the user is an
    admin.
    """
    owner = users.api_of("owner")
    created = owner.create_ok(values.record(manifest.fields))
    admin = operator_login()  # the run's admin, made by the project's own command
    answer = admin.get(owner.id_of(created))
    if answer.status in NOT_YOURS:  # refused: is the admin an admin at all?
        admin_only = manifest.require_auth().admin_only
        if admin.request("GET", admin_only).status == 403:
            raise Blocked(accounts.ADMIN, f"the admin your command made gets 403 at {admin_only}")
    answer.expect(200, doing=f"reading a user's {manifest.record} as the admin")
