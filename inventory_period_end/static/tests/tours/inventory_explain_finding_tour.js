import { registry } from "@web/core/registry";

/**
 * A balance run's finding explains itself: its Ledger button opens the move
 * lines behind the expected figure (the opening row first), its Quant button
 * the quants behind the found one.
 */
registry.category("web_tour.tours").add("inventory_explain_finding", {
    steps: () => [
        {
            content: "Open the findings",
            trigger: ".o_notebook a.nav-link[name='lines']",
            run: "click",
        },
        {
            content: "The ledger side of the finding",
            trigger: ".o_data_row button.o_inventory_explain_ledger",
            run: "click",
        },
        {
            content: "Titled with the finding it explains",
            trigger: ".o_breadcrumb .active:contains(Ledger side of)",
        },
        {
            content: "The opening row, then the lines",
            trigger: ".o_data_row:first-child td[name='reference']:contains(Opening balance)",
            run(helpers) {
                if (helpers.queryAll(".o_data_row").length < 2) {
                    throw new Error("no line behind the expected figure");
                }
            },
        },
        {
            content: "Back to the run",
            trigger: ".o_breadcrumb a:contains(BAL/)",
            run: "click",
        },
        {
            content: "The findings again",
            trigger: ".o_notebook a.nav-link[name='lines']",
            run: "click",
        },
        {
            content: "The quant side of the finding",
            trigger: ".o_data_row button.o_inventory_explain_quant",
            run: "click",
        },
        {
            content: "Its quant",
            trigger: ".o_breadcrumb .active:contains(Quant side)",
        },
        {
            trigger: ".o_data_row",
        },
    ],
});
