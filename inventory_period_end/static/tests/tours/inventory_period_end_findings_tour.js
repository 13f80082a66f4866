import { registry } from "@web/core/registry";

/**
 * The Findings tab of a balance run: rule and product names are shown whole
 * (not cut), a corrected finding is muted while an open error stays red, and
 * no totals row adds up quantities of different products.
 */
const LIST = ".o_field_widget[name=line_ids]";
const ROW = `${LIST} tr.o_data_row`;

function columnIndex(helpers, name) {
    const headers = helpers.queryAll(`${LIST} thead th`);
    return headers.findIndex((th) => th.dataset.name === name);
}

registry.category("web_tour.tours").add("inventory_period_end_findings", {
    steps: () => [
        {
            content: "Open the Findings tab",
            trigger: ".o_notebook a[name=lines]",
            run: "click",
        },
        {
            content: "Rule and product names are not cut",
            trigger: `${ROW}:has(td:contains(Findings tour corrected))`,
            run(helpers) {
                const cells = helpers.queryAll(
                    `${ROW} td[name=rule_code], ${ROW} td[name=product_id]`
                );
                if (cells.length !== 4) {
                    throw new Error(`expected 4 rule and product cells, got ${cells.length}`);
                }
                for (const cell of cells) {
                    if (cell.scrollWidth > cell.clientWidth + 1) {
                        throw new Error(`"${cell.textContent.trim()}" is cut`);
                    }
                }
                for (const text of [
                    "Remaining quantity of valued receipts vs on hand",
                    "Findings tour corrected",
                ]) {
                    if (!cells.some((cell) => cell.textContent.includes(text))) {
                        throw new Error(`"${text}" is not shown whole`);
                    }
                }
            },
        },
        {
            content: "A corrected finding is not red, an open error is",
            trigger: `${ROW}:has(td:contains(Findings tour open))`,
            run(helpers) {
                const corrected = helpers.queryOne(
                    `${ROW}:has(td:contains(Findings tour corrected))`
                );
                const open = helpers.queryOne(`${ROW}:has(td:contains(Findings tour open))`);
                if (corrected.classList.contains("text-danger")) {
                    throw new Error("the corrected finding is still red");
                }
                if (!corrected.classList.contains("text-muted")) {
                    throw new Error("the corrected finding is not muted");
                }
                if (!open.classList.contains("text-danger")) {
                    throw new Error("the open error is not red");
                }
            },
        },
        {
            content: "No totals of quantities of different products",
            trigger: `${LIST} thead th[data-name=expected]`,
            run(helpers) {
                const footer = helpers.queryAll(`${LIST} tfoot tr td`);
                for (const name of ["expected", "found", "difference"]) {
                    const index = columnIndex(helpers, name);
                    if (index < 0) {
                        throw new Error(`no ${name} column`);
                    }
                    const text = footer[index] ? footer[index].textContent.trim() : "";
                    if (text) {
                        throw new Error(`the ${name} column is summed: ${text}`);
                    }
                }
            },
        },
    ],
});
