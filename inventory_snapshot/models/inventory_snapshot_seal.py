# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The seal of a snapshot and its verification.

A snapshot's ``checksum`` is the SHA-256 of its lines; its ``seal`` the SHA-256
of its header (see ``tools/snapshot_checksum.py``: moment, company, scope,
trigger, author, taken at, totals, line count, checksum), and, for a closing
snapshot (a period close's), of the seal of the company's previous closing
snapshot: the closing snapshots form a chain, so that deleting or replacing one
breaks the link of the next.  The canonical text of each sealed field is kept
in ``sealed_header``, so that verifying names the field that changed.
"""

from odoo import api, models

from ..tools.snapshot_checksum import (
    HEADER_FIELDS,
    ID_FIELDS,
    ID_LIST_FIELDS,
    SEAL_VERSION,
    changed_fields,
    encode_header,
    seal_of,
)

# How many links of a chain one verification walks back.
MAX_CHAIN_LINKS = 1000


class InventorySnapshotSeal(models.AbstractModel):
    _name = "inventory.snapshot.seal"
    _description = "Inventory Snapshot Seals"

    @api.model
    def _header(self, snapshot):
        """The header values of ``snapshot`` as stored (read from the
        database), in the form ``encode_header`` takes."""
        snapshot = snapshot.sudo()
        snapshot.env.flush_all()
        snapshot.invalidate_recordset(list(HEADER_FIELDS))
        header = {}
        for name in HEADER_FIELDS:
            value = snapshot[name]
            if name in ID_FIELDS:
                value = value.id
            elif name in ID_LIST_FIELDS:
                value = value.ids
            header[name] = value
        return header

    @api.model
    def _seal(self, snapshot):
        """Seal the header of ``snapshot`` (its lines are written): the
        previous closing snapshot is sealed first (its lines may still be
        pending)."""
        snapshot.ensure_one()
        snapshot = snapshot.sudo()
        previous = snapshot.previous_snapshot_id
        if previous.lines_checkpoint_id:
            previous._write_pending_lines()
        snapshot._trusted().write({"previous_seal": previous.seal or False})
        encoded = encode_header(self._header(snapshot))
        snapshot._trusted().write(
            {
                "sealed_header": encoded,
                "seal": seal_of(encoded),
                "seal_version": SEAL_VERSION,
            }
        )

    @api.model
    def _intact_message(self, snapshot):
        if not snapshot.sudo().seal_version:
            return self.env._(
                "Intact: the lines match their checksum (taken before header "
                "seals: its header is not sealed)."
            )
        if snapshot.sudo().previous_snapshot_id:
            return self.env._(
                "Intact: the lines, the sealed header and the chain of closing "
                "snapshots."
            )
        return self.env._("Intact: the lines and the sealed header.")

    @api.model
    def _header_problems(self, snapshot):
        """What changed in the sealed header of ``snapshot`` (not its lines):
        one message per field, or for the seal itself."""
        snapshot = snapshot.sudo()
        if not snapshot.seal_version:
            return []
        sealed = snapshot.sealed_header or {}
        name = snapshot.name
        current = encode_header(self._header(snapshot))
        problems = [
            self.env._(
                "Snapshot %(name)s (id %(id)s): the field %(field)s was changed "
                "after it was sealed (sealed: %(sealed)s, now: %(now)s).",
                name=name,
                id=snapshot.id,
                field=field,
                sealed=sealed.get(field) or self.env._("empty"),
                now=current[field] or self.env._("empty"),
            )
            for field in changed_fields(sealed, current)
        ]
        try:
            intact = seal_of(sealed) == snapshot.seal
        except KeyError:
            intact = False
        if not intact:
            problems.append(
                self.env._(
                    "Snapshot %(name)s (id %(id)s): the field seal does not match "
                    "its sealed header (the seal or the sealed header was "
                    "changed).",
                    name=name,
                    id=snapshot.id,
                )
            )
        return problems

    @api.model
    def _link_problems(self, snapshot):
        """What broke in the link from ``snapshot`` to its previous closing
        snapshot: deleted, replaced, changed, or another one in between."""
        snapshot = snapshot.sudo()
        if not snapshot.seal_version or not snapshot.is_closing:
            return []
        sealed = snapshot.sealed_header or {}
        previous = snapshot.previous_snapshot_id
        problems = []
        sealed_previous = sealed.get("previous_snapshot_id")
        if sealed_previous and not previous:
            problems.append(
                self.env._(
                    "Chain of closing snapshots broken at %(name)s (id %(id)s): "
                    "its previous closing snapshot (id %(previous)s) was deleted.",
                    name=snapshot.name,
                    id=snapshot.id,
                    previous=sealed_previous,
                )
            )
        elif previous and previous.seal != snapshot.previous_seal:
            problems.append(
                self.env._(
                    "Chain of closing snapshots broken at %(name)s (id %(id)s): "
                    "the previous closing snapshot %(previous)s (id "
                    "%(previous_id)s) was replaced or resealed (its seal is not "
                    "the one this snapshot chains to).",
                    name=snapshot.name,
                    id=snapshot.id,
                    previous=previous.name,
                    previous_id=previous.id,
                )
            )
        expected = self._expected_previous(snapshot)
        if expected and expected != previous:
            problems.append(
                self.env._(
                    "Chain of closing snapshots broken at %(name)s (id %(id)s): "
                    "the closing snapshot %(other)s (id %(other_id)s) is the one "
                    "before it, not the one it chains to.",
                    name=snapshot.name,
                    id=snapshot.id,
                    other=expected.name,
                    other_id=expected.id,
                )
            )
        return problems

    @api.model
    def _expected_previous(self, snapshot):
        """The closing snapshot of the company just before ``snapshot`` (by
        moment, then id)."""
        Snapshot = snapshot.sudo().with_context(active_test=False)
        return Snapshot.search(
            [
                ("company_id", "=", snapshot.company_id.id),
                ("is_closing", "=", True),
                ("id", "!=", snapshot.id),
                "|",
                ("moment", "<", snapshot.moment),
                "&",
                ("moment", "=", snapshot.moment),
                ("id", "<", snapshot.id),
            ],
            order="moment desc, id desc",
            limit=1,
        )

    @api.model
    def _problems(self, snapshot):
        """Everything that broke in ``snapshot``: its lines (recomputed), its
        sealed header, and each link of its chain of closing snapshots back to
        the first (the earlier snapshots' headers and links; their lines are
        verified by verifying them).

        :return: list of messages, each naming the snapshot and the field or
            link; empty when intact
        """
        snapshot = snapshot.sudo()
        problems = []
        if snapshot._compute_checksum() != snapshot.checksum:
            problems.append(
                self.env._(
                    "Snapshot %(name)s (id %(id)s): the lines no longer match the "
                    "checksum recorded when the snapshot was taken.",
                    name=snapshot.name,
                    id=snapshot.id,
                )
            )
        problems += self._header_problems(snapshot)
        problems += self._link_problems(snapshot)
        seen = {snapshot.id}
        link = snapshot.previous_snapshot_id
        while link and link.id not in seen and len(seen) <= MAX_CHAIN_LINKS:
            seen.add(link.id)
            problems += self._header_problems(link)
            problems += self._link_problems(link)
            link = link.previous_snapshot_id
        return problems
