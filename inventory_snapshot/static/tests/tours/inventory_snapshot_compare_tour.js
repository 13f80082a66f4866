import { registry } from "@web/core/registry";

/**
 * Comparing two snapshots from their list: the comparison opens on the rows
 * that changed ("Any change"), each named by its variant; without the filter
 * the unchanged row is there too. Data: "Storage Box" in Blue (changed between
 * the snapshots "Tour first" and "Tour second") and Red (unchanged).
 */
const row = (name) => `.o_data_row:has(td:contains(${name}))`;

registry.category("web_tour.tours").add("inventory_snapshot_compare", {
    steps: () => [
        {
            content: "Select the first snapshot",
            trigger: `${row("Tour first")} .o_list_record_selector input`,
            run: "click",
        },
        {
            content: "Select the second snapshot",
            trigger: `${row("Tour second")} .o_list_record_selector input`,
            run: "click",
        },
        {
            content: "Open the actions",
            trigger: ".o_control_panel .o_cp_action_menus .dropdown-toggle",
            run: "click",
        },
        {
            content: "Compare Snapshots",
            trigger: ".o-dropdown--menu .o-dropdown-item:contains(Compare Snapshots)",
            run: "click",
        },
        {
            content: "Compare",
            trigger: ".modal button[name=action_compare]",
            run: "click",
        },
        {
            content: "The comparison opens on the changed rows",
            trigger: ".o_searchview_facet:contains(Any change)",
        },
        {
            content: "The changed variant is named as a variant",
            trigger: `${row("Storage Box (Blue)")}`,
            run(helpers) {
                if (helpers.queryAll(row("Storage Box (Red)")).length) {
                    throw new Error("an unchanged row is shown under Any change");
                }
            },
        },
        {
            content: "Remove the filter",
            trigger: ".o_searchview_facet:contains(Any change) .o_facet_remove",
            run: "click",
        },
        {
            content: "Every row: the unchanged variant too",
            trigger: `${row("Storage Box (Red)")}`,
        },
    ],
});
