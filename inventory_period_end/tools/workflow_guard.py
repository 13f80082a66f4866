# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Workflow fields belong to their actions.

A model lists the fields that only its actions write (state, authorship,
timestamps, counts, findings); its ``create`` and ``write`` refuse them unless
the call comes through the trusted path: :func:`workflow` returns the records
in a superuser environment carrying a context key whose value is a Python
object of this module.  Neither can come from outside: a context sent over
RPC holds only JSON values (so not that object), and no RPC call runs as the
superuser; an internal ``sudo()`` that keeps a caller's context keeps a
plain ``True`` at most, which is refused too.
"""

from odoo.exceptions import AccessError

WORKFLOW_KEY = "inventory_period_end_workflow"
# The in-process marker: compared by identity, never equal to an RPC value.
WORKFLOW = object()


def workflow(records):
    """``records`` for a workflow write of their action (after its checks)."""
    return records.sudo().with_context(**{WORKFLOW_KEY: WORKFLOW})


def is_workflow(env):
    """Whether ``env`` is the trusted path of :func:`workflow`."""
    return bool(env.su and env.context.get(WORKFLOW_KEY) is WORKFLOW)


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
