# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Each addon of the suite ships a current ``i18n/<addon>.pot``: every term
Odoo's own export finds in its code, views and data is in the template a
translator starts from (refresh it with ``make pot``)."""

import os

from odoo.modules.module import get_module_path
from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import TranslationModuleReader, translation_file_reader

SUITE = (
    "inventory_balance",
    "inventory_snapshot",
    "inventory_period_end",
    "inventory_balance_website",
    "inventory_balance_expiry",
)


@tagged("post_install", "-at_install")
class TestTranslationTemplates(TransactionCase):
    def test_every_term_is_in_the_template(self):
        installed = self.env["ir.module.module"].search(
            [("name", "in", SUITE), ("state", "=", "installed")]
        )
        self.assertIn("inventory_balance", installed.mapped("name"))
        for module in installed.mapped("name"):
            with self.subTest(module=module):
                pot = os.path.join(get_module_path(module), "i18n", f"{module}.pot")
                self.assertTrue(os.path.isfile(pot), f"{module} ships no {pot}")
                with open(pot, "rb") as stream:
                    shipped = {
                        row["src"]
                        for row in translation_file_reader(stream, fileformat="po")
                    }
                self.assertTrue(shipped)
                found = {
                    source
                    for mod, _type, _name, _res_id, source, _value, _comments in (
                        TranslationModuleReader(self.env.cr, modules=[module])
                    )
                    if mod == module
                }
                missing = sorted(found - shipped)
                self.assertFalse(
                    missing,
                    f"{len(missing)} term(s) of {module} missing from {pot} "
                    f"(run `make pot`): {missing[:10]}",
                )
