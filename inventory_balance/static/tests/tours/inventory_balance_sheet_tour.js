import { registry } from "@web/core/registry";

/**
 * The Inventory Balance sheet's grid, as a planner (no value columns): tabs per
 * product group, a number typed over Sales of "Sheet A" in the second period,
 * End recomputed with the sheet's formula (beginning + production - sales),
 * then the cell emptied back to the computed value; a column hidden, shown
 * and moved; a row moved up within its group.
 */
const GRID = ".o_inventory_balance_grid";
const ROW_A = `${GRID} tr:has(td.o_inventory_balance_product:contains(Sheet A))`;
const ROW_B = `${GRID} tr:has(td.o_inventory_balance_product:contains(Sheet B))`;
const rowNames = (helpers) =>
    helpers
        .queryAll(`${GRID} tbody td.o_inventory_balance_product > span:first-child`)
        .map((el) => el.textContent.replace(/^\[\w+\] /, "").trim())
        .join(",");
const cell = (code, period) => `${ROW_A} td[data-code='${code}'][data-period='${period}']`;
const SALES = cell("sales", 1);
// The tour helpers' queries understand :contains (querySelector does not).
const number = (helpers, selector) =>
    Number(helpers.queryOne(selector).textContent.trim().replace(/,/g, ""));
const headerCodes = (helpers) =>
    helpers
        .queryAll(`${GRID} thead tr:nth-child(2) th`)
        .slice(0, 4)
        .map((th) => th.dataset.code)
        .join(",");
let computedEnd = null;
let computedSales = null;

function expectEnd(helpers, sales) {
    const end = number(helpers, cell("end", 1));
    const expected =
        number(helpers, cell("beginning", 1)) + number(helpers, cell("production", 1)) - sales;
    if (end !== expected) {
        throw new Error(`End is ${end}, expected ${expected}`);
    }
    if (number(helpers, cell("beginning", 2)) !== end) {
        throw new Error("The next period does not begin with this End");
    }
}

registry.category("web_tour.tours").add("inventory_balance_sheet_grid", {
    steps: () => [
        {
            content: "The first tab is the first product group",
            trigger: `${GRID} .o_inventory_balance_grid_tabs .nav-link.active:contains(Sheet goods)`,
        },
        {
            content: "Its products are the rows; no value column for a planner",
            trigger: `${ROW_A}`,
            run(helpers) {
                const head = helpers.queryOne(`${GRID} thead`).textContent;
                if (/End value|Unit cost/.test(head)) {
                    throw new Error("value columns shown to a planner");
                }
            },
        },
        {
            content: "The flows the End formula leaves out are named",
            trigger: `${GRID} .o_inventory_balance_grid_left_out:contains(Receipts):contains(Variance)`,
        },
        {
            content: "Switch to the other group's tab",
            trigger: `${GRID} .o_inventory_balance_grid_tabs .nav-link:contains(Sheet others)`,
            run: "click",
        },
        {
            content: "Its product only",
            trigger: `${GRID} td.o_inventory_balance_product:contains(Sheet C)`,
            run(helpers) {
                if (helpers.queryAll(ROW_A).length) {
                    throw new Error("Sheet A shown in the other group's tab");
                }
            },
        },
        {
            content: "Back to the first tab",
            trigger: `${GRID} .o_inventory_balance_grid_tabs .nav-link:contains(Sheet goods)`,
            run: "click",
        },
        {
            content: "Remember the computed End",
            trigger: `${SALES}:not(.o_inventory_balance_override)`,
            run(helpers) {
                computedEnd = number(helpers, cell("end", 1));
                computedSales = helpers.queryOne(SALES).textContent.trim();
                expectEnd(helpers, number(helpers, SALES));
            },
        },
        {
            content: "Click Sales of the second period",
            trigger: SALES,
            run: "click",
        },
        {
            content: "Type 30 over it",
            trigger: `${SALES} input`,
            run: "edit 30 && press Enter",
        },
        {
            content: "The cell is an override, with who and when",
            trigger: `${SALES}.o_inventory_balance_override:contains(30.00)`,
            run(helpers) {
                const title = helpers.queryOne(SALES).getAttribute("title");
                const computed = `computed: ${computedSales}`;
                if (!title.includes("Overridden by") || !title.includes(computed)) {
                    throw new Error(`no who and when on the override: ${title}`);
                }
                expectEnd(helpers, 30);
                if (number(helpers, cell("end", 1)) === computedEnd) {
                    throw new Error("End did not change");
                }
            },
        },
        {
            content: "Edit the overridden cell again",
            trigger: SALES,
            run: "click",
        },
        {
            content: "Empty it",
            trigger: `${SALES} input`,
            run: "clear && press Enter",
        },
        {
            content: "Back to the computed value and End",
            trigger: `${SALES}:not(.o_inventory_balance_override):not(:has(input))`,
            run(helpers) {
                if (number(helpers, cell("end", 1)) !== computedEnd) {
                    throw new Error("End is not the computed one again");
                }
                expectEnd(helpers, number(helpers, SALES));
            },
        },
        {
            content: "Edit Sales again",
            trigger: SALES,
            run: "click",
        },
        {
            content: "Tab goes to the next cell of the row",
            trigger: `${SALES} input`,
            run: "press Tab",
        },
        {
            content: "End of the same period is edited",
            trigger: `${cell("end", 1)} input`,
            run: "press Tab",
        },
        {
            content: "Then Beginning of the next period",
            trigger: `${cell("beginning", 2)} input`,
            run: "press Shift+Tab",
        },
        {
            content: "Shift+Tab goes back",
            trigger: `${cell("end", 1)} input`,
            run: "click " + `${ROW_A} td.o_inventory_balance_product > span:first-child`,
        },
        {
            content: "Leaving the cell unchanged closes it without an override",
            trigger: `${GRID}:not(:has(input.o_inventory_balance_cell_input))`,
            run(helpers) {
                if (helpers.queryAll(`${GRID} .o_inventory_balance_override`).length) {
                    throw new Error("an unchanged cell became an override");
                }
            },
        },
        {
            content: "Open the columns",
            trigger: `${GRID} .o_inventory_balance_grid_columns_toggle`,
            run: "click",
        },
        {
            content: "Hide Production",
            trigger: `${GRID} .o_inventory_balance_grid_columns li[data-code='production'] input`,
            run: "click",
        },
        {
            content: "Production is gone from the grid",
            trigger: `${GRID} thead:not(:has(th[data-code='production']))`,
        },
        {
            content: "Show Production again",
            trigger: `${GRID} .o_inventory_balance_grid_columns li[data-code='production'] input:not(:checked)`,
            run: "click",
        },
        {
            content: "Production is back",
            trigger: `${GRID} thead th[data-code='production']`,
            run(helpers) {
                if (headerCodes(helpers) !== "beginning,production,sales,end") {
                    throw new Error(`columns in the wrong order: ${headerCodes(helpers)}`);
                }
            },
        },
        {
            content: "Move Sales left (past Consumption, hidden)",
            trigger: `${GRID} .o_inventory_balance_grid_columns li[data-code='sales'] .o_inventory_balance_column_up`,
            run: "click",
        },
        {
            content: "Sales follows Production in the list",
            trigger: `${GRID} .o_inventory_balance_grid_columns li[data-code='production'] + li[data-code='sales']`,
        },
        {
            content: "Move Sales left of Production",
            trigger: `${GRID} .o_inventory_balance_grid_columns li[data-code='sales'] .o_inventory_balance_column_up`,
            run: "click",
        },
        {
            content: "Sales is before Production in the grid",
            trigger: `${GRID} .o_inventory_balance_grid_columns li[data-code='sales'] + li[data-code='production']`,
            run(helpers) {
                if (headerCodes(helpers) !== "beginning,sales,production,end") {
                    throw new Error(`columns in the wrong order: ${headerCodes(helpers)}`);
                }
            },
        },
        {
            content: "Sheet A is the first row of its group, Sheet B the second",
            trigger: `${GRID} tbody tr:first-child td.o_inventory_balance_product:contains(Sheet A)`,
            run(helpers) {
                if (rowNames(helpers) !== "Sheet A,Sheet B") {
                    throw new Error(`rows: ${rowNames(helpers)}`);
                }
            },
        },
        {
            content: "Move Sheet B up",
            trigger: `${ROW_B} .o_inventory_balance_row_up`,
            run: "click",
        },
        {
            content: "Sheet B is the first row now",
            trigger: `${GRID} tbody tr:first-child td.o_inventory_balance_product:contains(Sheet B)`,
            run(helpers) {
                if (rowNames(helpers) !== "Sheet B,Sheet A") {
                    throw new Error(`rows: ${rowNames(helpers)}`);
                }
                if (!helpers.queryOne(`${ROW_B} .o_inventory_balance_row_up`).disabled) {
                    throw new Error("the first row can still move up");
                }
            },
        },
    ],
});
