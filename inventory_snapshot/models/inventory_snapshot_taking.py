# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Taking an inventory snapshot: by a user (``take_snapshot``, the wizard,
a schedule's button, with the rights checked), by an event or a period
close (as superuser); the header is created in the trusted path, then the
lines are written (``inventory.snapshot.balances``).  A mixin of
``inventory.snapshot``: ``self`` is the snapshot model."""

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, clean_context

# What an event may say about the scope of its snapshot.
EVENT_SCOPE_KEYS = {
    "company_id",
    "location_ids",
    "warehouse_ids",
    "categ_ids",
    "description",
    "moment",
}


class InventorySnapshotTaking(models.AbstractModel):
    _name = "inventory.snapshot.taking"
    _description = "Inventory Snapshot: taking"

    @api.model
    def take_snapshot(
        self,
        name,
        moment=None,
        company_id=None,
        location_ids=None,
        warehouse_ids=None,
        categ_ids=None,
        description=None,
        trigger="manual",
        trigger_ref=None,
    ):
        """Take a snapshot and return its id.

        :param name: the snapshot's name
        :param moment: date or datetime (UTC) in the past; default now (then
            reservations and sales channels are recorded too)
        :param company_id: default the current company
        :param location_ids, warehouse_ids, categ_ids: the scope (children
            included); default everything of the company
        :param description: free text
        :param trigger: ``manual``; ``scheduled`` and ``event`` are the
            schedules' and events' own (refused to a user)
        :param trigger_ref: what triggered it (schedules and events only)
        :return: id of the new snapshot
        :raise AccessError: without the snapshot Create group, or for a
            company not among the user's
        :raise UserError: an id (company, warehouse, location, category)
            that does not exist, named in the message
        """
        Scope = self.env["inventory.scope"]
        companies = Scope._given_ids(company_id, "company_id")
        Scope._check_ids(
            {
                "company": companies,
                "warehouse": Scope._given_ids(warehouse_ids, "warehouse_ids"),
                "location": Scope._given_ids(location_ids, "location_ids"),
                "category": Scope._given_ids(categ_ids, "categ_ids"),
            },
            company_ids=companies or self.env.company.ids,
            names={"company": "company_id"},
        )
        if not self.env.su and (trigger != "manual" or trigger_ref):
            raise UserError(
                self.env._(
                    "Only schedules and events take snapshots of trigger "
                    "%(trigger)s or with a reference.",
                    trigger=trigger,
                )
            )
        company = (
            self.env["res.company"].browse(company_id)
            if company_id
            else self.env.company
        )
        self._check_take_access(company)
        return self._take(
            name,
            moment=moment,
            company=company,
            location_ids=location_ids,
            warehouse_ids=warehouse_ids,
            categ_ids=categ_ids,
            description=description,
            trigger=trigger,
            trigger_ref=trigger_ref,
        ).id

    @api.model
    def _check_take_access(self, companies):
        """Taking snapshots needs the Create group and the company among the
        user's (every path a user can start: the wizard, RPC, a schedule's
        button); the superuser's own paths (events, the scheduled action)
        need neither.

        :raise AccessError: otherwise
        """
        if self.env.su:
            return
        if not self.env.user.has_group(
            "inventory_snapshot.group_inventory_snapshot_create"
        ):
            raise AccessError(
                self.env._("You are not allowed to take inventory snapshots.")
            )
        if companies - self.env.user.company_ids:
            raise AccessError(self.env._("You cannot take snapshots of this company."))

    @api.model
    def _take(
        self,
        name,
        moment=None,
        company=None,
        location_ids=None,
        warehouse_ids=None,
        categ_ids=None,
        description=None,
        trigger="manual",
        trigger_ref=None,
        schedule=None,
        lines_from=None,
        closing=False,
    ):
        """Take a snapshot (the callers checked the rights): create the
        header, then write and seal the lines, or leave them to the background
        job that copies them from ``lines_from``.

        :param schedule: the schedule taking it (the unique index on the
            schedule and moment refuses a second one)
        :param closing: a period close's snapshot: chained to the company's
            previous closing snapshot
        :return: the new snapshot (as superuser, not in the trusted path)
        """
        if not name:
            raise UserError(self.env._("A snapshot needs a name."))
        company = company or self.env.company
        now = fields.Datetime.now()
        at = (
            self.env["inventory.ledger"]._parse_moment(moment, "moment")
            if moment
            else now
        )
        self.env.flush_all()
        vals = {
            "name": name,
            "description": description or False,
            "moment": at,
            "company_id": company.id,
            "location_ids": [(6, 0, location_ids or [])],
            "warehouse_ids": [(6, 0, warehouse_ids or [])],
            "categ_ids": [(6, 0, categ_ids or [])],
            "trigger": trigger,
            "trigger_ref": trigger_ref or False,
            "user_id": self.env.user.id,
            "taken_at": now,
            "is_now": at >= now,
        }
        if closing:
            vals.update(
                is_closing=True,
                previous_snapshot_id=self._previous_closing(company, at).id,
            )
        # back in the caller's context: only the trusted path writes the seal
        snapshot = self._trusted().create(vals).with_env(self.sudo().env)
        if schedule:
            # Raw SQL so that a concurrent run's duplicate fails here, on the
            # unique index, without an error in the log.
            self.env.cr.execute(
                SQL(
                    "UPDATE inventory_snapshot SET schedule_id = %s WHERE id = %s",
                    schedule.id,
                    snapshot.id,
                ),
                log_exceptions=False,
            )
            snapshot.invalidate_recordset(["schedule_id"])
        if lines_from:
            snapshot._write_lines_later(lines_from)
        else:
            snapshot._write_lines()
        return snapshot

    @api.model
    def _previous_closing(self, company, moment):
        """The latest closing snapshot of ``company`` at or before ``moment``
        (the one a new closing snapshot of that moment chains to)."""
        return (
            self.sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("company_id", "=", company.id),
                    ("is_closing", "=", True),
                    ("moment", "<=", moment),
                ],
                order="moment desc, id desc",
                limit=1,
            )
        )

    @api.model
    def _take_event_snapshot(
        self, name, trigger_ref, lines_from=None, closing=None, **scope
    ):
        """Take a snapshot of now for an event (a validated transfer, an
        inventory adjustment confirmed, a period closed).

        Taken as superuser, so that the user who triggers the event needs no
        snapshot rights; the snapshot still records that user. The ``default_*``
        keys of the event's context are dropped.

        :param name: the snapshot's name
        :param trigger_ref: the document that triggered it (e.g. WH/IN/00012)
        :param lines_from: a valid checkpoint at the snapshot's moment: the
            lines are copied from its rows by a background job right after this
            transaction (see ``_write_lines_later``), or before they are read
        :param closing: a period close's snapshot, chained to the company's
            previous closing snapshot (see ``inventory.snapshot.seal``);
            default: when ``lines_from`` is given (only the close gives it)
        :param scope: ``company_id``, ``location_ids``, ``warehouse_ids``,
            ``categ_ids``, ``description``, ``moment`` as in ``take_snapshot``
        :return: id of the new snapshot
        """
        unknown = set(scope) - EVENT_SCOPE_KEYS
        if unknown:
            raise TypeError(
                "_take_event_snapshot() got unexpected arguments: "
                + ", ".join(sorted(unknown))
            )
        if closing is None:
            closing = bool(lines_from)
        company_id = scope.pop("company_id", None)
        Snapshot = self.with_context(clean_context(self.env.context)).sudo()
        return Snapshot._take(
            name,
            company=self.env["res.company"].browse(company_id)
            if company_id
            else self.env.company,
            trigger="event",
            trigger_ref=trigger_ref,
            lines_from=lines_from,
            closing=closing,
            **scope,
        ).id
