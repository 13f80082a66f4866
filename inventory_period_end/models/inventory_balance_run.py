# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The period-end balance run: find, and on request correct, disagreements
between the ledger, the quants, the reservations, the lots and the moves.

Each rule is one set-based SQL statement over the whole scope, inserting its
findings as run lines (except the optional valuation rule, which asks Odoo's
own valuation).  What a finding means and how it is corrected is
decided by ``tools/balance_rules.py`` (the source-of-truth matrix).
"""

import base64
import os
import tempfile
import time

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from odoo.addons.inventory_balance.tools.record_ids import ids_in

from ..tools.balance_rules import (
    COMPANY_CORRECTIONS,
    RULES,
    VALUATION_RULES,
    get_rule,
)
from ..tools.run_export import write_workbook
from ..tools.workflow_guard import refuse_workflow_fields, workflow

MANAGER_GROUP = "inventory_period_end.group_inventory_period_end_manager"
# Who sees stock-account figures (valuation findings and summary, values).
ACCOUNTING_GROUPS = "account.group_account_readonly,account.group_account_manager"
# The run's scope fields, per kind of the scope resolver (``inventory.scope``),
# and the argument names its messages give.
SCOPE_FIELDS = {
    "company": "company_id",
    "warehouse": "warehouse_ids",
    "location": "location_ids",
    "category": "categ_ids",
    "product": "product_ids",
}
SCOPE_NAMES = {"company": "company_id"}
# Workflow fields of a run: written only by its actions (run, correct),
# through ``_write_workflow``; ``create`` and ``write`` refuse them otherwise.
RUN_WORKFLOW_FIELDS = frozenset(
    {
        "state",
        "method_used",
        "started_by",
        "started_at",
        "ended_at",
        "duration",
        "corrected_by",
        "corrected_at",
        "line_ids",
        "line_count",
        "proposed_count",
        "counts_summary",
        "valuation_ids",
        "total_value",
        "adjustment_ids",
        "account_move_ids",
    }
)
# What a run checks: changing it sends a checked run back to draft (its
# findings no longer answer for it); a corrected run keeps it.
RUN_PARAMETER_FIELDS = frozenset(
    {
        "company_id",
        "date",
        "warehouse_ids",
        "location_ids",
        "categ_ids",
        "product_ids",
        "mode",
        "truth_policy",
        "balance_transit",
        "recalculate_costs",
        "purge_zero_quants",
        "check_valuation",
        "check_ageing",
        "ledger_method",
    }
)


class InventoryBalanceRun(models.Model):
    _name = "inventory.balance.run"
    _description = "Inventory Balance Run"
    _inherit = [
        "mail.thread",
        "inventory.balance.run.checks",
        "inventory.balance.run.passes",
        "inventory.balance.run.proposals",
        "inventory.balance.run.quant.rules",
        "inventory.balance.run.valuation.rules",
        "inventory.balance.run.corrections",
        "inventory.balance.run.background",
    ]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        required=True, readonly=True, copy=False, default=lambda self: self.env._("New")
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    date = fields.Datetime(
        string="Period end",
        required=True,
        default=fields.Datetime.now,
        tracking=True,
        help="The end of the period balanced.  The quantity checks compare the "
        "quants with the ledger; quants minus the lines after this moment against "
        "the ledger up to it is the same comparison.  Corrections under the "
        "counted-stock policy are dated on this day.",
    )
    warehouse_ids = fields.Many2many(
        "stock.warehouse", string="Warehouses", check_company=True
    )
    location_ids = fields.Many2many(
        "stock.location",
        string="Locations",
        check_company=True,
        domain="[('usage', 'in', ('internal', 'transit'))]",
        help="Children included.  Empty with no warehouse: every location.",
    )
    categ_ids = fields.Many2many(
        "product.category", string="Categories", help="Sub-categories included."
    )
    product_ids = fields.Many2many(
        "product.product",
        string="Products",
        check_company=True,
        domain="[('is_storable', '=', True)]",
    )
    mode = fields.Selection(
        [("report", "Report only"), ("balance", "Balance (correct)")],
        required=True,
        default="report",
        tracking=True,
    )
    truth_policy = fields.Selection(
        [
            ("ledger", "Ledger (recompute quants)"),
            ("counted", "Counted stock (post inventory moves)"),
        ],
        required=True,
        default="ledger",
        tracking=True,
        help="Which figure wins when a quant and the ledger disagree.",
    )
    balance_transit = fields.Boolean(
        string="Balance goods in transit",
        default=True,
        help="Check and correct the quants of transit locations too, and "
        "reconcile the stock in transit with the open moves out of it: a "
        "correcting run writes off what is in transit beyond those moves with a "
        "period-end adjustment; open moves expecting more than is in transit are "
        "reported.",
    )
    recalculate_costs = fields.Boolean(
        string="Recalculate costs where the valuation method allows",
        help="A correcting run sets the cost of AVCO products to the cost "
        "replayed from their valued moves, as Odoo records a cost change (a "
        "dated entry in the product's value history).  FIFO costs are the value "
        "of the remaining receipts and are only reported.",
    )
    purge_zero_quants = fields.Boolean(default=True)
    check_valuation = fields.Boolean(
        string="Check valuation",
        help="Check the FIFO and AVCO valuation of the products (remaining "
        "receipts against the stock on hand, FIFO value and average cost "
        "replayed from the valued moves against the product's cost; they read "
        "every valued move of those products: a minute and more at ten million "
        "moves), and compare the stock value with the balance of the stock "
        "valuation accounts at the end of the period's day, as Odoo's Stock "
        "Valuation report does (Odoo's own computation, product by product); a "
        "correcting run posts Odoo's stock closing entry.  The accounts: the "
        "whole company only, ignored when the run has a scope.",
    )
    check_ageing = fields.Boolean(
        string="Check the aged inventory",
        help="Compute the aged inventory at the run's moment and compare its "
        "buckets, per product, warehouse and lot, with the quantity on hand of "
        "the quants (reported only; the quantity rules correct the quants). The "
        "whole company only: ignored when the run has a scope.",
    )
    ledger_method = fields.Selection(
        [
            ("auto", "Latest checkpoint if any"),
            ("checkpoint", "Latest checkpoint"),
            ("ledger", "Whole ledger"),
        ],
        required=True,
        default="auto",
        help="Where the ledger side starts.  From a checkpoint, the done moves "
        "checked against their lines are those after it.",
    )
    method_used = fields.Char(readonly=True, copy=False)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("queued", "Queued"),
            ("done", "Checked"),
            ("corrected", "Corrected"),
        ],
        required=True,
        default="draft",
        readonly=True,
        copy=False,
        tracking=True,
    )
    started_by = fields.Many2one("res.users", readonly=True, copy=False)
    started_at = fields.Datetime(readonly=True, copy=False)
    ended_at = fields.Datetime(readonly=True, copy=False)
    duration = fields.Float(string="Duration (s)", readonly=True, copy=False)
    corrected_by = fields.Many2one("res.users", readonly=True, copy=False)
    corrected_at = fields.Datetime(readonly=True, copy=False)
    line_ids = fields.One2many("inventory.balance.run.line", "run_id", readonly=True)
    line_count = fields.Integer(string="Findings", readonly=True, copy=False)
    proposed_count = fields.Integer(
        string="Corrections proposed", readonly=True, copy=False
    )
    counts_summary = fields.Text(string="Findings per rule", readonly=True, copy=False)
    valuation_ids = fields.One2many(
        "inventory.balance.run.valuation",
        "run_id",
        readonly=True,
        groups="account.group_account_readonly,account.group_account_manager",
    )
    total_value = fields.Monetary(
        string="Stock value",
        readonly=True,
        copy=False,
        currency_field="currency_id",
        groups="account.group_account_readonly,account.group_account_manager",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    adjustment_ids = fields.Many2many(
        "inventory.adjustment",
        string="Adjustments posted",
        readonly=True,
        copy=False,
        check_company=True,
    )
    account_move_ids = fields.Many2many(
        "account.move",
        string="Closing entries",
        readonly=True,
        copy=False,
        check_company=True,
        groups="account.group_account_readonly,account.group_account_manager",
    )

    # ------------------------------------------------------ workflow guard
    def _refuse_missing_ids(self, vals):
        """A clear error naming the id, for a company, warehouse, location,
        category or product in ``vals`` that does not exist (rather than the
        database's foreign-key error): the scope resolver's check."""
        given = {}
        for kind, name in SCOPE_FIELDS.items():
            if not vals.get(name):
                continue
            ids = ids_in(vals[name])
            if ids is None:
                raise UserError(self.env._("%(field)s: expected ids.", field=name))
            given[kind] = ids
        self.env["inventory.scope"]._check_ids(given, names=SCOPE_NAMES)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            refuse_workflow_fields(self, vals, RUN_WORKFLOW_FIELDS)
            self._refuse_missing_ids(vals)
            if not vals.get("name") or vals["name"] == self.env._("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code(
                    "inventory.balance.run"
                ) or self.env._("New")
        return super().create(vals_list)

    def write(self, vals):
        """Workflow fields only through the actions; a new name never; a
        parameter of a checked run sends it back to draft, of a corrected or
        queued run is refused."""
        refuse_workflow_fields(self, vals, RUN_WORKFLOW_FIELDS | {"name"})
        self._refuse_missing_ids(vals)
        checked = self.browse()
        if RUN_PARAMETER_FIELDS.intersection(vals):
            frozen = self.filtered(lambda run: run.state in ("corrected", "queued"))
            if frozen:
                raise UserError(
                    self.env._(
                        "The balance run %(name)s is %(state)s: what it checks "
                        "cannot change; start a new one.",
                        name=frozen[0].name,
                        state=dict(self._fields["state"].selection)[frozen[0].state],
                    )
                )
            checked = self.filtered(lambda run: run.state == "done")
        result = super().write(vals)
        if checked:
            checked._write_workflow({"state": "draft"})
        return result

    def _write_workflow(self, vals):
        """Write workflow fields: the actions call this after their checks."""
        return workflow(self).write(vals)

    @api.constrains("date")
    def _check_date(self):
        now = fields.Datetime.now()
        for run in self:
            if run.date > now:
                raise ValidationError(
                    self.env._(
                        "The balance run %(name)s ends in the future (%(date)s).",
                        name=run.name,
                        date=run.date,
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_corrected(self):
        if any(run.state == "corrected" for run in self):
            raise UserError(self.env._("A corrected balance run cannot be deleted."))

    # ---------------------------------------------------------------- scope
    def _scope(self):
        """The run's scope, resolved by the suite's one resolver
        (``inventory.scope``): its storable products, archived ones included."""
        self.ensure_one()
        return self.env["inventory.scope"]._resolve(
            self.company_id,
            self.warehouse_ids,
            self.location_ids,
            self.categ_ids,
            self.product_ids,
            storable=True,
            names=SCOPE_NAMES,
        )

    def _scope_product_ids(self):
        """Product ids of the scope, or None for every product."""
        product_ids = self._scope().product_ids
        return None if product_ids is None else list(product_ids)

    def _scope_location_ids(self):
        """Roots of the scope's locations, or None for the whole company."""
        roots = self._scope().location_roots
        return list(roots) if roots else None

    def _options(self):
        options = []
        if self.balance_transit:
            options.append("balance_transit")
        if self.recalculate_costs:
            options.append("recalculate_costs")
        if self.purge_zero_quants:
            options.append("purge_zero_quants")
        if self.check_valuation:
            options.append("check_valuation")
        if self.check_ageing:
            options.append("check_ageing")
        return tuple(options)

    # -------------------------------------------------------------- actions
    def action_run(self):
        """Run every check over the scope and store the findings.  Changes no
        stock table, whatever the mode.  A run too big for one request (the
        valuation rules over many moves, or any run over a very big ledger;
        see ``_runs_in_background``) is queued: a background job runs it,
        reporting its progress, and says so on its chatter.

        :return: True
        """
        self.check_access("write")
        for run in self:
            run._ensure_runnable()
            if run._runs_in_background():
                run._queue()
            else:
                run._run_now()
        return True

    def _ensure_runnable(self):
        self.ensure_one()
        if self.state == "corrected":
            raise UserError(
                self.env._(
                    "The balance run %s is corrected already; start a new one.",
                    self.name,
                )
            )
        if self.state == "queued":
            raise UserError(
                self.env._(
                    "The balance run %s is queued: a background job runs it.",
                    self.name,
                )
            )
        if self.date > fields.Datetime.now():
            raise UserError(self.env._("A balance run cannot end in the future."))

    def _run_now(self):
        """Run the checks in this transaction."""
        self.ensure_one()
        started = time.monotonic()
        self._write_workflow(
            {
                "started_by": self.env.user.id,
                "started_at": fields.Datetime.now(),
                "ended_at": False,
            }
        )
        _counts, method = self._run_checks()
        self._compute_valuation_summary()
        counts = self._store_counts()
        self._write_workflow(
            {
                "state": "done",
                "method_used": method,
                "ended_at": fields.Datetime.now(),
                "duration": round(time.monotonic() - started, 3),
            }
        )
        self.message_post(
            body=self.env._(
                "Checked (%(mode)s, ledger from %(method)s): %(total)s findings. "
                "%(counts)s",
                mode=dict(self._fields["mode"].selection)[self.mode],
                method=method,
                total=sum(counts.values()),
                counts=", ".join(
                    f"{code}: {count}" for code, count in counts.items() if count
                )
                or self.env._("nothing to balance"),
            )
        )

    def action_apply_corrections(self):
        """Correct the proposed findings (Balance mode, managers only), one
        transaction per batch of products: the batch is checked again with its
        quants locked, then corrected as the truth policy says; the findings
        record what was done.  A run that corrected nothing stays checked.

        :return: True
        """
        self._correct_runs()
        return True

    def _correct_runs(self):
        """``action_apply_corrections``; return the outcome of each run."""
        if not self.env.su and not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(
                self.env._("Only inventory period-end administrators correct stock.")
            )
        self.check_access("write")
        outcomes = []
        for run in self:
            run._ensure_correctable()
            outcomes.append(run._apply_corrections())
        return outcomes

    def _ensure_correctable(self):
        self.ensure_one()
        if self.mode != "balance":
            raise UserError(
                self.env._(
                    "The balance run %s is report only; set it to Balance to correct.",
                    self.name,
                )
            )
        if self.state != "done":
            raise UserError(
                self.env._("Run the checks of %s before correcting.", self.name)
            )

    # ------------------------------------------------------------------ RPC
    @api.model
    def start_report(self, values=None):
        """Create a report-only run and run its checks.

        :param values: optional dict of fields: ``company_id``, ``date``,
            ``warehouse_ids``, ``location_ids``, ``categ_ids``, ``product_ids``
            (lists of ids), ``truth_policy``, ``balance_transit``,
            ``purge_zero_quants``, ``check_valuation``, ``check_ageing``,
            ``recalculate_costs``, ``ledger_method``, ``mode``
        :return: id of the run (queued, not yet checked, when too big for
            one request: see ``action_run``)
        """
        return self._start_report(values)

    @api.model
    def _start_report(self, values=None, inline=False):
        """``start_report``; with ``inline`` (background jobs), never queued."""
        values = dict(values or {})
        unknown = set(values) - {
            "company_id",
            "date",
            "warehouse_ids",
            "location_ids",
            "categ_ids",
            "product_ids",
            "truth_policy",
            "balance_transit",
            "purge_zero_quants",
            "check_valuation",
            "check_ageing",
            "recalculate_costs",
            "ledger_method",
            "mode",
        }
        if unknown:
            raise UserError(
                self.env._("Unknown fields: %s", ", ".join(sorted(unknown)))
            )
        Scope = self.env["inventory.scope"]
        company_id = values.get("company_id")
        if company_id not in (None, False) and (
            not isinstance(company_id, int) or isinstance(company_id, bool)
        ):
            raise UserError(self.env._("company_id must be an id."))
        for name in ("warehouse_ids", "location_ids", "categ_ids", "product_ids"):
            if name in values:
                values[name] = [
                    fields.Command.set(Scope._given_ids(values[name], name))
                ]
        run = self.create(values)
        if inline:
            run.check_access("write")
            run._ensure_runnable()
            run._run_now()
        else:
            run.action_run()
        return run.id

    @api.readonly
    def get_counts(self):
        """Findings per rule of one run.

        :return: dict ``{rule code: count}`` (every rule, zeros included)
        """
        self.ensure_one()
        # Every finding counts, the valuation ones too (a user without
        # accounting rights sees how many, not what).
        self.check_access("read")
        groups = (
            self.env["inventory.balance.run.line"]
            .sudo()
            ._read_group([("run_id", "=", self.id)], ["rule_code"], ["__count"])
        )
        counts = {rule.code: 0 for rule in RULES}
        counts.update(dict(groups))
        return counts

    @api.readonly
    def valuation_summary(self):
        """The warehouse valuation summary of one run.

        :return: list of dicts ``{"warehouse_id", "categ_id", "quantity",
            "value"}`` (ids, ``False`` outside any warehouse); an
            ``AccessError`` without an accounting right
        """
        self.ensure_one()
        return [
            {
                "warehouse_id": row.warehouse_id.id,
                "categ_id": row.categ_id.id,
                "quantity": row.quantity,
                "value": row.value,
            }
            for row in self.valuation_ids
        ]

    def apply_corrections(self):
        """Correct the proposed findings of one run (see
        ``action_apply_corrections``).

        :return: dict ``{"corrected": {rule code: count}, "remaining": {rule
            code: count}, "state": state}``: per rule (every rule, zeros
            included), the findings the corrections settled and those that
            remain (reported for a person, or that no correction could
            settle); the run's state after (``done`` when nothing was
            corrected)
        """
        self.ensure_one()
        outcome = dict(self._correct_runs()[0])
        outcome["state"] = self.state
        return outcome

    # --------------------------------------------------------------- export
    def _sees_accounting(self):
        """Whether the user sees stock-account figures (an accounting
        right): the valuation findings and summary, the values."""
        return self.env.su or self.env.user.has_groups(ACCOUNTING_GROUPS)

    def _export_rows(self):
        self.ensure_one()
        accounting = self._sees_accounting()
        self.env.cr.execute(
            SQL(
                """
            SELECT l.rule_code, l.severity, pp.default_code,
                   COALESCE(pt.name ->> %(lang)s, pt.name ->> 'en_US'),
                   COALESCE(loc.complete_name, acc.code_store ->> %(company)s),
                   lot.name, pk.name, l.expected, l.found,
                   l.difference, %(value_impact)s, l.action, l.message
              FROM inventory_balance_run_line l
              LEFT JOIN product_product pp ON pp.id = l.product_id
              LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
              LEFT JOIN stock_location loc ON loc.id = l.location_id
              LEFT JOIN stock_lot lot ON lot.id = l.lot_id
              LEFT JOIN stock_package pk ON pk.id = l.package_id
              LEFT JOIN account_account acc ON acc.id = l.account_id
             WHERE l.run_id = %(run)s %(accounting)s
             ORDER BY l.rule_code, pp.default_code, loc.complete_name, l.id
            """,
                value_impact=SQL("l.value_impact") if accounting else SQL("NULL"),
                accounting=SQL()
                if accounting
                else SQL(
                    "AND l.rule_code <> ALL(%s)",
                    [*VALUATION_RULES, *COMPANY_CORRECTIONS, "valuation_flags"],
                ),
                lang=self.env.lang or "en_US",
                company=str(self.company_id.id),
                run=self.id,
            )
        )
        return self.env.cr.fetchall()

    @api.readonly
    def export_xlsx(self):
        """The run's findings as an XLSX workbook (one row per finding, an
        *Info* sheet with the run and the counts per rule).

        :return: dict ``{"filename", "content"}`` (content base64)
        """
        self.ensure_one()
        self.check_access("read")
        header = [
            self.env._("Rule"),
            self.env._("Severity"),
            self.env._("Reference"),
            self.env._("Product"),
            self.env._("Location or account"),
            self.env._("Lot/Serial"),
            self.env._("Package"),
            self.env._("Expected"),
            self.env._("Found"),
            self.env._("Difference"),
            self.env._("Value impact"),
            self.env._("Action"),
            self.env._("Message"),
        ]
        info = [
            (self.env._("Run"), self.name),
            (self.env._("Company"), self.company_id.name),
            (self.env._("Period end"), self.date),
            (self.env._("Mode"), dict(self._fields["mode"].selection)[self.mode]),
            (self.env._("State"), dict(self._fields["state"].selection)[self.state]),
        ] + [(get_rule(code).name, count) for code, count in self.get_counts().items()]
        valuation_header = [
            self.env._("Warehouse"),
            self.env._("Category"),
            self.env._("Quantity"),
            self.env._("Value"),
        ]
        # Stock-account figures: for the users with an accounting right.
        valuation_rows = [
            (
                row.warehouse_id.name or "",
                row.categ_id.complete_name or "",
                row.quantity,
                row.value,
            )
            for row in (self.valuation_ids if self._sees_accounting() else ())
        ]
        handle, path = tempfile.mkstemp(suffix=".xlsx")
        os.close(handle)
        try:
            write_workbook(
                path,
                [
                    (self.env._("Findings"), header, self._export_rows()),
                    (self.env._("Valuation"), valuation_header, valuation_rows),
                ],
                info=info,
            )
            with open(path, "rb") as workbook:
                content = base64.b64encode(workbook.read()).decode()
        finally:
            os.unlink(path)
        return {"filename": f"{self.name.replace('/', '-')}.xlsx", "content": content}

    def action_export_xlsx(self):
        self.ensure_one()
        export = self.export_xlsx()
        attachment = self.env["ir.attachment"].create(
            {
                "name": export["filename"],
                "datas": export["content"],
                "mimetype": "application/vnd.openxmlformats-officedocument."
                "spreadsheetml.sheet",
                "res_model": self._name,
                "res_id": self.id,
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }
