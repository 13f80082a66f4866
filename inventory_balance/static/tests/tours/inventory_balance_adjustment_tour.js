import { registry } from "@web/core/registry";

/**
 * An adjustment's Change with its - and + buttons: the line of "Tour Pear"
 * (balance 5) goes +1 +1 with the mouse, -1 with Arrow Down, then a typed 7;
 * Resulting follows each time and the form saves the typed value.
 */
// The adjustment's one line (its product is an input once the row is edited).
const ROW = ".o_field_widget[name=line_ids] tr.o_data_row";
const CHANGE = `${ROW} td[name=change]`;
const INPUT = `${CHANGE} .o_inventory_adjustment_change input`;

function expectChange(value) {
    return {
        content: `Change is ${value}, Resulting ${5 + value}`,
        trigger: `${ROW} td[name=resulting]:contains(${5 + value}.00)`,
        run(helpers) {
            const typed = Number(helpers.queryOne(INPUT).value.replace(/,/g, ""));
            if (typed !== value) {
                throw new Error(`Change shows ${typed}, expected ${value}`);
            }
        },
    };
}

registry.category("web_tour.tours").add("inventory_balance_adjustment_change", {
    steps: () => [
        {
            content: "Category and variant columns in the lines",
            trigger: ".o_field_widget[name=line_ids] th[data-name=categ_id]",
            run(helpers) {
                if (!helpers.queryAll(`${ROW}:has(td:contains(Tour Pear)) td[name=categ_id]:contains(Tour fruit)`).length) {
                    throw new Error("no category on the line");
                }
                if (!helpers.queryAll(".o_field_widget[name=line_ids] th[data-name=product_attribute_value_ids]").length) {
                    throw new Error("no variant column");
                }
            },
        },
        {
            content: "Edit the line of Tour Pear",
            trigger: CHANGE,
            run: "click",
        },
        {
            content: "Plus adds one",
            trigger: `${CHANGE} .o_inventory_adjustment_plus`,
            run: "click",
        },
        expectChange(1),
        {
            content: "Plus again",
            trigger: `${CHANGE} .o_inventory_adjustment_plus`,
            run: "click",
        },
        expectChange(2),
        {
            content: "Arrow Down in the field removes one",
            trigger: INPUT,
            run: "press ArrowDown",
        },
        expectChange(1),
        {
            content: "Minus removes one",
            trigger: `${CHANGE} .o_inventory_adjustment_minus`,
            run: "click",
        },
        expectChange(0),
        {
            content: "Typing still works",
            trigger: INPUT,
            run: "edit 7 && press Tab",
        },
        {
            content: "Resulting follows the typed value",
            trigger: `${ROW} td[name=resulting]:contains(12.00)`,
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_saved, .o_form_status_indicator:not(:has(.o_form_button_save:visible))",
        },
        {
            content: "Search lines",
            trigger: "button[name]:contains(Search lines)",
            run: "click",
        },
        {
            content: "The adjustment's lines open in their own list",
            trigger: ".o_breadcrumb:contains(Adjustment Lines)",
        },
        {
            content: "Searchable, with the same Change",
            trigger: ".o_action_manager .o_list_view .o_data_row:has(td:contains(Tour Pear)) td[name=change]:contains(7.00)",
            run(helpers) {
                if (!helpers.queryAll(".o_control_panel .o_searchview_input").length) {
                    throw new Error("no search on the lines");
                }
            },
        },
    ],
});

/**
 * The product form's "Activate stock keeping" button: a Goods product that is
 * not kept in stock gets Track Inventory ticked.
 */
registry.category("web_tour.tours").add("inventory_balance_activate_stock_keeping", {
    steps: () => [
        {
            content: "The button says what it does",
            trigger: ".o_inventory_stock_keeping:contains(Track Inventory)",
        },
        {
            content: "Track Inventory is not ticked yet",
            trigger: "div[name=is_storable] input:not(:checked)",
        },
        {
            content: "Activate stock keeping",
            trigger: "button.o_inventory_activate_stock_keeping",
            run: "click",
        },
        {
            content: "Told it is done",
            trigger: ".o_notification:contains(Stock keeping activated)",
        },
        {
            content: "Track Inventory is ticked and the button gone",
            trigger: "div[name=is_storable] input:checked",
            run(helpers) {
                if (helpers.queryAll("button.o_inventory_activate_stock_keeping:visible").length) {
                    throw new Error("the button is still there");
                }
            },
        },
    ],
});
