import { registry } from "@web/core/registry";

/**
 * Every figure explains itself: a click on the list icon of a sheet cell (the
 * Sales of "Sheet A" in the second period) opens the move lines behind it,
 * titled with what they explain, the opening row first, then the deliveries
 * with their running balance.
 */
const GRID = ".o_inventory_balance_grid";
const ROW_A = `${GRID} tr:has(td.o_inventory_balance_product:contains(Sheet A))`;

registry.category("web_tour.tours").add("inventory_ledger_explain_sheet", {
    steps: () => [
        {
            content: "Open the lines behind the Sales of Sheet A, second period",
            trigger: `${ROW_A} td[data-code='sales'][data-period='1'] .o_inventory_balance_explain`,
            run: "click",
        },
        {
            content: "The lines are titled with the figure they explain",
            trigger: ".o_breadcrumb .active:contains(Sales of):contains(Sheet A)",
        },
        {
            content: "The first row is the opening",
            trigger: ".o_data_row:first-child td[name='reference']:contains(Opening balance)",
        },
        {
            content: "Then the deliveries, with their running balance",
            trigger: ".o_data_row td[name='kind']:contains(Delivery)",
            run(helpers) {
                const rows = helpers.queryAll(".o_data_row");
                if (rows.length < 2) {
                    throw new Error("no line behind the figure");
                }
                if (!helpers.queryAll(".o_data_row td[name='running_balance']").length) {
                    throw new Error("no running balance");
                }
            },
        },
    ],
});
