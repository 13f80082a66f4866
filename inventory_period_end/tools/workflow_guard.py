# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Workflow fields belong to their actions.

A model lists the fields that only its actions write (state, authorship,
timestamps, counts, findings); its ``create`` and ``write`` refuse them unless
the call comes through the trusted path: :func:`workflow` returns the records
in a superuser environment carrying a context key.  The key alone is not
enough (anyone can send a context over RPC): the environment must also be the
superuser's, which no RPC call is.
"""

from odoo.exceptions import AccessError

WORKFLOW_KEY = "inventory_period_end_workflow"


def workflow(records):
    """``records`` for a workflow write of their action (after its checks)."""
    return records.sudo().with_context(**{WORKFLOW_KEY: True})


def is_workflow(env):
    """Whether ``env`` is the trusted path of :func:`workflow`."""
    return bool(env.su and env.context.get(WORKFLOW_KEY))


def refuse_workflow_fields(records, names, protected):
    """Raise ``AccessError`` when ``names`` (the fields of a create or write)
    include ``protected`` ones outside the trusted path."""
    if is_workflow(records.env):
        return
    forged = sorted(protected.intersection(names))
    if forged:
        raise AccessError(
            records.env._(
                "%(model)s: the fields %(fields)s are written only by the "
                "actions that own them (run, correct, close, reopen).",
                model=records._description,
                fields=", ".join(forged),
            )
        )
