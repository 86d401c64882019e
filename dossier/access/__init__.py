"""Accounts and access for the web workspace (see docs in each module).

- :mod:`.roles` — roles, the action vocabulary, :func:`allowed` (the one authorisation
  function) and :func:`action_for_field` (which action a dossier.yaml change needs);
- :mod:`.store` — the SQLite file ``WORKSPACE/.dossier/access.sqlite3``;
- :mod:`.users` — accounts (argon2id password hashes) and dossier assignments;
- :mod:`.sessions` — throttled login, sessions, CSRF tokens;
- :mod:`.audit` — the append-only audit log;
- :mod:`.modes` — local single-user mode vs accounts, and the refusal to serve others
  without an admin;
- :mod:`.http` — security headers and cookie attributes.
"""

from .roles import (ACTIONS, DOSSIER_ACTIONS, LOCAL_USER, WORKSPACE_ACTIONS, Role, User, action_for_field,
                    allowed, denied_fields, status_for)
from .store import AccessStore

__all__ = ["ACTIONS", "DOSSIER_ACTIONS", "WORKSPACE_ACTIONS", "LOCAL_USER", "Role", "User", "AccessStore",
           "action_for_field", "allowed", "denied_fields", "status_for"]
