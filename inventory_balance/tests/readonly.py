# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Running a method the way Odoo serves an ``@api.readonly`` call from a
replica: on a read-only cursor, where any write fails.

Odoo's web client (``/web/dataset/call_kw``) and JSON-2 API
(``/json/2/<model>/<method>``) run a method decorated with ``@api.readonly``
on ``registry.cursor(readonly=True)``: a connection to the hot-standby replica
when ``--db_replica_host`` is set (``--dev replica`` simulates one), which
refuses every write, ``CREATE TEMPORARY TABLE`` included.  In tests, Odoo's
test cursor simulates it with ``SET TRANSACTION READ ONLY`` inside a savepoint
of the test's transaction: the same refusals, the test data visible.
"""

from contextlib import contextmanager

import psycopg2

from odoo import api


def is_readonly_method(env, model, method):
    """Whether a call of ``model.method`` goes to a read-only cursor, looked
    up as the web client's and JSON-2's dispatchers look it up (the first
    class of the model's MRO whose attribute carries ``_readonly``)."""
    for cls in env.registry[model].mro():
        function = getattr(cls, method, None)
        if function is not None and hasattr(function, "_readonly"):
            return function._readonly
    return False


class ReadOnlyCaseMixin:
    """For ``TransactionCase`` tests: ``read_only_env()`` gives an environment
    on a read-only cursor of the test's transaction."""

    @contextmanager
    def read_only_env(self, user=None, context=None):
        """An environment like the one of an ``@api.readonly`` call: a
        read-only cursor (the test's data visible), as ``user`` (default the
        test's).  Pending ORM writes are flushed on the way out, so a lazy
        write fails the test too.  What it wrote (nothing) is rolled back."""
        env = self.env(user=user) if user else self.env
        # enter_registry_test_mode flushes the test's own pending changes
        with self.enter_registry_test_mode():
            cr = self.registry.cursor(readonly=True)
            try:
                self.assertTrue(cr.readonly, "not a read-only cursor")
                ro_env = api.Environment(
                    cr, env.uid, dict(env.context, **(context or {}))
                )
                yield ro_env
                # a write left in the ORM's cache fails here
                ro_env.flush_all()
            finally:
                cr.close()

    def assertReadOnlyCursorRefusesWrites(self, env):
        """The cursor of ``env`` refuses writes (so the tests using it prove
        something); PostgreSQL's own error, as a hot standby raises it."""
        env.cr.execute("SELECT 1")  # opens the test cursor's own savepoint first
        with self.assertRaises(psycopg2.errors.ReadOnlySqlTransaction):
            with env.cr.savepoint(flush=False):
                env.cr.execute(
                    "CREATE TEMPORARY TABLE readonly_probe (a int)",
                    log_exceptions=False,
                )
