"""Who may do what: roles, their scopes, and the checks the server makes.

Roles are the app's own (sign-in only says who someone is):

- ``viewer`` sees published figures;
- ``editor`` (an accountable officer) submits returns for the indicators of the theme boards
  and/or lead partners they are assigned to, and nothing else;
- ``performance_officer`` (the sub-group) sees submitted returns, approves them or sends them
  back with a reason, edits commentary, runs the report pack;
- ``admin`` manages targets (new versions only, with a reason), tolerances, the register's
  descriptions and users.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from performance.register import split_partners

ROLES = ("viewer", "editor", "performance_officer", "admin")
ROLE_LABELS = {"viewer": "Viewer", "editor": "Editor (accountable officer)",
               "performance_officer": "Performance officer (sub-group)", "admin": "Administrator"}
SCOPE_KINDS = ("theme_board", "lead_partner")

# What each role may do; admin may do everything.
PERMISSIONS = {
    "view": {"viewer", "editor", "performance_officer", "admin"},
    "submit_returns": {"editor", "performance_officer", "admin"},
    "see_pending": {"editor", "performance_officer", "admin"},
    "sign_off": {"performance_officer", "admin"},
    "see_audit": {"performance_officer", "admin"},
    "manage": {"admin"},
}
# The role a page asks for, in words, for the refusal message.
REQUIRED_FOR = {"viewer": "view", "editor": "submit_returns", "performance_officer": "sign_off",
                "admin": "manage"}


@dataclass
class User:
    """A person using the app: email, roles, and for editors the scopes they may submit for."""

    email: str
    roles: set[str] = field(default_factory=set)
    scopes: list[tuple[str, str]] = field(default_factory=list)  # (theme_board|lead_partner, name)
    local: bool = False  # the local user of the embedded default (no identity provider)

    def can(self, permission: str) -> bool:
        """Whether any of the user's roles grants ``permission``."""
        return bool(self.roles & PERMISSIONS[permission])

    def may_open(self, required_role: str) -> bool:
        """Whether the user may open a page that asks for ``required_role``."""
        return self.can(REQUIRED_FOR[required_role])


def local_admin() -> User:
    """The user of the embedded default: this machine only, acting as admin."""
    return User(email="local user", roles={"admin"}, local=True)


def in_scope(user: User, indicators: pd.DataFrame) -> pd.Series:
    """For each indicator part, whether the user may submit returns for it.

    Performance officers and admins may submit for any indicator; an editor only for the theme
    boards and lead partners assigned; anyone else for none.
    """
    if user.roles & {"performance_officer", "admin"}:
        return pd.Series(True, index=indicators.index)
    if "editor" not in user.roles:
        return pd.Series(False, index=indicators.index)
    boards = {v for k, v in user.scopes if k == "theme_board"}
    partners = {v for k, v in user.scopes if k == "lead_partner"}
    by_board = indicators["theme_board"].isin(boards)
    by_partner = indicators["lead_partner"].map(lambda t: bool(partners & set(split_partners(t))))
    return by_board | by_partner


def out_of_scope(user: User, rows: pd.DataFrame, indicators: pd.DataFrame) -> list[str]:
    """Return rows (code, part) the user may not submit: the server-side check before saving."""
    allowed = indicators[in_scope(user, indicators)]
    keys = set(zip(allowed["framework"], allowed["code"], allowed["part"], strict=True))
    return [f"{r.code}{' ' + r.part if r.part else ''}" for r in rows.itertuples()
            if (r.framework, r.code, r.part) not in keys]


def sees_pending(user: User, indicators: pd.DataFrame) -> bool:
    """Whether the user may see the unpublished returns (submitted, sent back) of these
    indicator parts: performance officers and admins for any indicator; an editor only for
    indicators in their scope (their own submissions and those sent back to them); a viewer
    never. Everyone else sees published values only."""
    if user.can("sign_off"):
        return True
    return user.can("see_pending") and bool(in_scope(user, indicators).any())
