# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Ids given to a public method: checked to exist before any use, so that a
caller gets a clear error naming the missing record rather than the
database's foreign-key error (shown by Odoo as "Another model is using the
record you are trying to delete") and an ERROR line in the server's log."""

from odoo.exceptions import UserError

# Argument names of the public methods and the model their ids belong to.
ID_MODELS = {
    "company_id": "res.company",
    "company_ids": "res.company",
    "warehouse_id": "stock.warehouse",
    "warehouse_ids": "stock.warehouse",
    "location_id": "stock.location",
    "location_ids": "stock.location",
    "categ_id": "product.category",
    "categ_ids": "product.category",
    "category_id": "product.category",
    "product_id": "product.product",
    "product_ids": "product.product",
    "lot_id": "stock.lot",
    "lot_ids": "stock.lot",
    "package_id": "stock.package",
    "condition_id": "inventory.condition",
    "condition_ids": "inventory.condition",
    "snapshot_ids": "inventory.snapshot",
    "period_id": "inventory.period",
}


def _labels(env):
    """What each model's records are called in the messages."""
    return {
        "res.company": env._("company"),
        "stock.warehouse": env._("warehouse"),
        "stock.location": env._("location"),
        "product.category": env._("product category"),
        "product.product": env._("product"),
        "stock.lot": env._("lot or serial number"),
        "stock.package": env._("package"),
        "inventory.condition": env._("condition"),
        "inventory.snapshot": env._("snapshot"),
        "inventory.period": env._("inventory period"),
    }


def as_id_list(ids, name, env):
    """``ids`` (an id or a list of ids) as a list of ints.

    :raise UserError: anything else (``True``, text, nested lists)
    """
    if isinstance(ids, int) and not isinstance(ids, bool):
        return [ids]
    if isinstance(ids, list | tuple) and all(
        isinstance(i, int) and not isinstance(i, bool) for i in ids
    ):
        return list(ids)
    raise UserError(env._("%(name)s must be an id or a list of ids.", name=name))


def check_ids_exist(env, name, ids, model=None):
    """The records of ``ids`` (an id or a list of ids, given as the argument
    ``name``), which must all exist.

    :param model: the model's name; default the one ``ID_MODELS`` knows for
        ``name``
    :return: the records (in the order given, without duplicates), empty for
        no ids
    :raise UserError: naming the argument, the kind of record and the first
        id that does not exist; or when ``ids`` are not ids
    """
    if ids is None or ids is False or ids == []:
        return env[model or ID_MODELS[name]]
    ids = as_id_list(ids, name, env)
    records = env[model or ID_MODELS[name]].browse(list(dict.fromkeys(ids)))
    # a plain SELECT of the ids, whatever the user's record rules
    missing = records - records.exists()
    if missing:
        raise UserError(
            env._(
                "%(name)s: no %(what)s with id %(id)s exists.",
                name=name,
                what=_labels(env).get(records._name, records._description),
                id=missing[0].id,
            )
        )
    return records


def ids_in(value):
    """The ids a many2one or many2many value of ``create``/``write`` names
    (an id, a list of ids, or commands), or None when it is none of those."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return [value]
    if not isinstance(value, list | tuple):
        return None
    ids = []
    for item in value:
        if isinstance(item, int) and not isinstance(item, bool):
            ids.append(item)
        elif isinstance(item, list | tuple) and item:
            command = item[0]
            if command == 6 and len(item) > 2:
                ids.extend(ids_in(list(item[2]) or []) or [])
            elif command in (1, 2, 3, 4) and len(item) > 1:
                ids.extend(ids_in(item[1]) or [])
        else:
            return None
    return [i for i in ids if isinstance(i, int) and not isinstance(i, bool)]


def check_vals_ids(records, vals, names):
    """The ids that ``vals`` of a ``create`` or ``write`` of ``records`` give
    to the relational fields ``names`` must exist: a UserError naming the
    field, the kind of record and the first missing id (rather than the
    database's foreign-key error and an ERROR line in the log)."""
    env = records.env
    for name in names:
        if not vals.get(name):
            continue
        model = records._fields[name].comodel_name
        ids = ids_in(vals[name])
        if ids is None:
            raise UserError(
                env._("%(name)s must be an id or a list of ids.", name=name)
            )
        check_ids_exist(env, name, ids, model=model)
