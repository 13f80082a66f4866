# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The ledger engine's planner and session settings: memory and parallel
workers for its aggregations, and the foreign-key triggers skipped during
a bulk INSERT ... SELECT whose ids all come from existing rows.  A mixin of
``inventory.ledger``."""

from contextlib import contextmanager

from odoo import api, models
from odoo.tools import SQL


class InventoryLedgerSettings(models.AbstractModel):
    _name = "inventory.ledger.settings"
    _description = "Stock Ledger Engine: planner settings"

    @api.model
    def _tune_for_aggregation(self, balances=False):
        """Let the big hash aggregations and sorts of the engine stay in memory
        (the default work_mem spills them to disk) and skip JIT compilation,
        which costs more than it saves on these statements.

        With ``balances``, for statements summing balances from a checkpoint
        (nearly as many groups as rows): group by sorting, without parallel
        workers.  The checkpoint rows come sorted from their index, the lines
        since are few, and a hash table of hundreds of thousands of groups
        costs twice as much (measured at 10M lines: 0.32 s against 0.80 s).
        Not for the whole ledger, whose millions of lines hash and share out
        between workers better than they sort.  For the current transaction
        (``_aggregation_settings`` for one statement)."""
        self.env.cr.execute(
            "SET LOCAL work_mem = '64MB'; SET LOCAL jit = off; "
            "SET LOCAL parallel_setup_cost = 0; SET LOCAL parallel_tuple_cost = 0; "
            "SET LOCAL min_parallel_index_scan_size = 0"
        )
        if balances:
            self.env.cr.execute(
                "SET LOCAL enable_hashagg = off; "
                "SET LOCAL max_parallel_workers_per_gather = 0"
            )

    @contextmanager
    def _aggregation_settings(self, balances=False, hash_joins=False, work_mem=None):
        """The engine's settings (see ``_tune_for_aggregation``) for the
        statements run inside, and the planner's defaults again after them.

        :param hash_joins: no nested loops: the planner guesses a hundred times
            fewer balances than there are, and would look every row's product,
            location or lot up one by one
        :param work_mem: more memory than the engine's default, e.g. to sort
            hundreds of thousands of wide rows in memory
        """
        cr = self.env.cr
        self._tune_for_aggregation(balances)
        if hash_joins:
            cr.execute("SET LOCAL enable_nestloop = off")
        if work_mem:
            cr.execute(SQL("SELECT set_config('work_mem', %s, true)", work_mem))
        try:
            yield
        finally:
            cr.execute(
                "RESET enable_hashagg; RESET max_parallel_workers_per_gather; "
                "RESET enable_nestloop; SET LOCAL work_mem = '64MB'"
            )

    @contextmanager
    def _bulk_insert_settings(self, **settings):
        """``_aggregation_settings`` for a bulk INSERT ... SELECT whose ids
        all come from the rows it reads, with the per-row foreign-key
        triggers skipped meanwhile (see ``_skip_foreign_key_checks``)."""
        skipped = self._skip_foreign_key_checks()
        try:
            with self._aggregation_settings(**settings):
                yield
        finally:
            if skipped:
                self._restore_foreign_key_checks()

    @api.model
    def _skip_foreign_key_checks(self):
        """For a bulk INSERT ... SELECT whose ids all come from existing rows:
        skip the per-row foreign-key triggers (most of the cost at scale) for
        the rest of the transaction.  Needs a superuser database role; without
        one the checks simply run.  Returns whether they are skipped; call
        ``_restore_foreign_key_checks`` after the insert."""
        self.env.cr.execute(
            "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
        )
        row = self.env.cr.fetchone()
        if row and row[0]:
            self.env.cr.execute("SET LOCAL session_replication_role = replica")
            return True
        return False

    @api.model
    def _restore_foreign_key_checks(self):
        self.env.cr.execute("SET LOCAL session_replication_role = origin")
