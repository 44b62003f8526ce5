"""Who an identity provider's sign-in is here: the account, its role and units, or a refusal.

The account is found by the ID token's (issuer, subject), never by email alone: an email is
linked to an existing account only once, only when the provider says it verified the email,
and only when that account has no identity yet. Roles and units come from one claim (say
`groups`) through SURVEYAPP_OIDC_ROLE_MAP, re-read at every sign-in, so a move between groups
in the directory takes effect the next time the person signs in; an account whose claim maps
to nothing waits, inactive, until an admin gives it a role. Every sign-in, refusal and
change the mapping makes is written to the audit trail.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from surveyapp.errors import InputError
from surveyapp.models import ROLES, AuditEvent, User
from surveyapp.services.org import units_by_code
from surveyapp.services.staff_sessions import end_user_sessions
from surveyapp.services.users import password_hasher

# When a person's groups map to several roles, the first of these wins; a change manager's
# units are those of all their mapped groups together.
ROLE_PRECEDENCE = ("admin", "hr", "change_manager")
WAITING = "awaiting approval"
EMAIL_LENGTH, IDENTITY_LENGTH = 254, 255  # the users table's columns


class RoleMapError(ValueError):
    """SURVEYAPP_OIDC_ROLE_MAP does not say what a group gives; the message names the entry."""


@dataclass(frozen=True)
class Grant:
    """What a claim value gives: a role and, for a change manager, unit codes."""

    role: str
    units: tuple[str, ...] = ()


@dataclass(frozen=True)
class Refusal:
    """Why a sign-in that the provider vouched for does not get in; `reason` is audited."""

    reason: str


def parse_role_map(text: str) -> dict[str, Grant]:
    """`value=role[:UNIT,UNIT]` entries split by `;`: `hr-team=hr; cm-sales=change_manager:SALES`.

    Read when the app starts, so a typo stops it there with the entry named, rather than
    silently leaving people without a role.
    """
    grants: dict[str, Grant] = {}
    for number, entry in enumerate(filter(None, (part.strip() for part in text.split(";"))), 1):
        value, sep, given = entry.rpartition("=")
        role, _, units = given.partition(":")
        codes = tuple(code.strip() for code in units.split(",") if code.strip())
        where = f"SURVEYAPP_OIDC_ROLE_MAP entry {number} ({entry!r})"
        if not sep or not value.strip():
            raise RoleMapError(f"{where}: write claim-value=role")
        if role.strip() not in ROLES:
            raise RoleMapError(f"{where}: {role.strip()!r} is not one of {', '.join(ROLES)}")
        if (role.strip() == "change_manager") != bool(codes):
            raise RoleMapError(f"{where}: units go with change_manager, and it needs some")
        if value.strip() in grants:
            raise RoleMapError(f"{where}: {value.strip()!r} is mapped twice")
        grants[value.strip()] = Grant(role.strip(), codes)
    return grants


def mapped_grant(claims: Mapping[str, Any], claim: str, role_map: dict[str, Grant]) -> Grant | None:
    """What the person's claim values give together, or None when none of them is mapped.

    The claim may be one string or a list of them (Keycloak and Entra send lists of groups).
    """
    values = claims.get(claim)
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, list):
        return None
    grants = [role_map[value] for value in values if isinstance(value, str) and value in role_map]
    for role in ROLE_PRECEDENCE:
        chosen = [grant for grant in grants if grant.role == role]
        if chosen:
            units = sorted({code for grant in chosen for code in grant.units})
            return Grant(role, tuple(units))
    return None


def sign_in(
    session: Session, claims: Mapping[str, Any], claim: str, role_map: dict[str, Grant]
) -> User | Refusal:
    """The account the verified ID token's claims sign in as, brought in line with the mapping.

    Runs in one write transaction: the account's creation, a role the mapping changed, the
    sessions that change ends, and the audit rows commit together.
    """
    issuer, subject = str(claims["iss"]), str(claims["sub"])
    email = str(claims.get("email") or "").strip().lower()
    who = {"issuer": issuer, "subject": subject, "email": email}
    user = session.scalar(
        sa.select(User).where(User.oidc_issuer == issuer, User.oidc_subject == subject)
    )
    if user is None:
        user = _link_or_create(session, claims, issuer, subject, email)
        if isinstance(user, Refusal):
            return _refuse(session, email or subject, user.reason, who)
    grant = mapped_grant(claims, claim, role_map)
    if user.role_from != "admin":
        refusal = _follow_mapping(session, user, grant, who)
        if refusal is not None:
            return _refuse(session, user.email, refusal.reason, who)
    if not user.active:
        return _refuse(session, user.email, "account deactivated", who)
    _audit(session, user.email, "sso.sign_in", {**who, "role": user.role})
    return user


def _link_or_create(
    session: Session, claims: Mapping[str, Any], issuer: str, subject: str, email: str
) -> User | Refusal:
    """An existing account with this verified email and no identity yet, or a new one."""
    if not email:
        return Refusal("the provider sent no email claim")
    if len(email) > EMAIL_LENGTH or len(issuer) > IDENTITY_LENGTH or len(subject) > IDENTITY_LENGTH:
        return Refusal("email, issuer or subject longer than an account holds")
    existing = session.scalar(sa.select(User).where(User.email == email))
    if existing is not None:
        if existing.oidc_subject is not None or claims.get("email_verified") is not True:
            return Refusal("email belongs to another account")
        existing.oidc_issuer, existing.oidc_subject = issuer, subject
        _audit(session, email, "sso.link", {"issuer": issuer, "subject": subject})
        return existing
    user = User(
        email=email,
        role="change_manager",  # with no units: sees nothing until a role is given
        password_hash=password_hasher.hash(secrets.token_hex(32)),  # no password signs in
        active=False,
        role_from="pending",
        oidc_issuer=issuer,
        oidc_subject=subject,
    )
    session.add(user)
    session.flush()
    _audit(session, email, "sso.account_created", {"issuer": issuer, "subject": subject})
    return user


def _follow_mapping(
    session: Session, user: User, grant: Grant | None, who: dict[str, str]
) -> Refusal | None:
    """Give a provider-managed or waiting account what the mapping says; None lets it in.

    A provider-managed account whose claim no longer maps is deactivated (its sessions end);
    a waiting one stays waiting. A unit code the mapping names but the organisation lacks
    refuses the sign-in rather than give a change manager fewer units than meant.
    """
    if grant is None:
        if user.role_from == "pending":
            return Refusal(WAITING)
        user.active = False
        _mapping_changed(session, user, who, role=None, units=[])
        return Refusal("no role in the mapping")
    try:
        units = units_by_code(session, list(grant.units), "SURVEYAPP_OIDC_ROLE_MAP")
    except InputError as error:
        return Refusal(f"role mapping: {error}")
    before = (user.role, sorted(unit.code for unit in user.units), user.active)
    user.role, user.units, user.active, user.role_from = grant.role, units, True, "provider"
    if before != (grant.role, sorted(grant.units), True):
        _mapping_changed(session, user, who, role=grant.role, units=sorted(grant.units))
    return None


def _mapping_changed(
    session: Session, user: User, who: dict[str, str], role: str | None, units: list[str]
) -> None:
    """Audit what the mapping changed and end the account's sessions, as an admin's change does."""
    session.flush()
    ended = end_user_sessions(session, user.id, "role changed by the provider")
    detail = {**who, "role": role, "units": units, "sessions_ended": ended}
    _audit(session, user.email, "sso.mapping_change", detail)


def _refuse(session: Session, actor: str, reason: str, who: dict[str, str]) -> Refusal:
    _audit(session, actor, "sso.refused", {**who, "reason": reason})
    return Refusal(reason)


def refuse(session: Session, reason: str, detail: Mapping[str, Any]) -> Refusal:
    """Audit a sign-in refused before anyone was known (wrong state, bad token, provider down)."""
    return _refuse(session, "sso:unknown", reason, dict(detail))


def _audit(session: Session, actor: str, action: str, detail: dict[str, Any]) -> None:
    session.add(AuditEvent(actor=actor, action=action, detail=detail, row_count=1))
    session.flush()
