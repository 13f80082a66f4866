import { Component, onWillStart, onWillUpdateProps, useEffect, useRef, useState } from "@odoo/owl";
import { deserializeDateTime, formatDateTime } from "@web/core/l10n/dates";
import { _t } from "@web/core/l10n/translation";
import { Pager } from "@web/core/pager/pager";
import { registry } from "@web/core/registry";
import { KeepLast } from "@web/core/utils/concurrency";
import { useService } from "@web/core/utils/hooks";
import { formatFloat } from "@web/core/utils/numbers";
import { parseFloat } from "@web/views/fields/parsers";
import { standardWidgetProps } from "@web/views/widgets/standard_widget_props";

const MODEL = "inventory.balance.sheet";
const PAGE = 100;

/**
 * The Inventory Balance sheet in its form: one tab per product group, a row per
 * product variant, per period the visible columns. The data comes from
 * `get_grid_data` (only the columns the user may see, a page of one tab at a
 * time); a number typed over a cell is saved with `set_override`, an emptied
 * cell goes back to the computed value; the columns are arranged with
 * `set_grid_columns`.
 */
export class InventoryBalanceSheetGrid extends Component {
    static template = "inventory_balance.SheetGrid";
    static components = { Pager };
    static props = { ...standardWidgetProps };

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.notification = useService("notification");
        this.keepLast = new KeepLast();
        this.state = useState({
            data: null,
            editing: null,
            showColumns: false,
        });
        this.input = useRef("input");
        onWillStart(() => this.load({ record: this.props.record }));
        onWillUpdateProps((next) => {
            if (this.recordKey(next.record) !== this.recordKey(this.props.record)) {
                return this.load({ record: next.record });
            }
        });
        useEffect(
            (input) => {
                if (input) {
                    input.focus();
                    input.select();
                }
            },
            () => [this.input.el]
        );
    }

    /** The grid is read again when the sheet was saved or refreshed. */
    recordKey(record) {
        return `${record.resId}/${record.data.write_date}`;
    }

    get data() {
        return this.state.data;
    }

    get visibleColumns() {
        return this.data.columns.filter((column) => column.visible);
    }

    async load({ record = this.props.record, tab, offset } = {}) {
        if (!record.resId) {
            this.state.data = null;
            return;
        }
        const current = this.state.data;
        const data = await this.keepLast.add(
            this.orm.call(MODEL, "get_grid_data", [[record.resId]], {
                category_id: tab ?? current?.tab ?? false,
                offset: offset ?? current?.offset ?? 0,
                limit: current?.limit ?? PAGE,
            })
        );
        this.state.data = data;
    }

    openTab(tabId) {
        if (tabId !== this.data.tab) {
            return this.load({ tab: tabId, offset: 0 });
        }
    }

    onPagerUpdate({ offset, limit }) {
        this.state.data.limit = limit;
        return this.load({ offset });
    }

    // ------------------------------------------------------------ cells
    formatValue(value) {
        if (value === false || value === undefined) {
            return "";
        }
        if (typeof value === "string") {
            return value; // #ERR, #DIV/0
        }
        return formatFloat(value, { digits: [false, 2] });
    }

    override(row, period, code) {
        return row.overrides[period][code];
    }

    cellClass(row, period, code) {
        const value = row.values[period][code];
        return {
            o_inventory_balance_override: Boolean(this.override(row, period, code)),
            "bg-warning-subtle fw-bold": Boolean(this.override(row, period, code)),
            "text-danger": typeof value === "string",
            o_inventory_balance_editable: this.data.can_edit,
        };
    }

    cellTitle(row, period, code) {
        const override = this.override(row, period, code);
        if (!override) {
            if (code === "variance" && this.data.left_out?.length) {
                return _t("End - Actual on hand: what %(flows)s moved (left out of the End formula)", {
                    flows: this.data.left_out.join(", "),
                });
            }
            return "";
        }
        const when = override.date ? formatDateTime(deserializeDateTime(override.date)) : "";
        return _t("Overridden by %(user)s on %(date)s; computed: %(computed)s", {
            user: override.user || "",
            date: when,
            computed: this.formatValue(override.computed),
        });
    }

    isEditing(row, period, code) {
        const editing = this.state.editing;
        return (
            editing &&
            editing.productId === row.product_id &&
            editing.period === period &&
            editing.code === code
        );
    }

    editState(row, period, code) {
        const value = row.values[period][code];
        const text =
            typeof value === "number"
                ? formatFloat(value, { digits: [false, 2], thousandsSep: "", trailingZeros: false })
                : "";
        return { productId: row.product_id, period, code, text };
    }

    startEdit(row, period, code) {
        if (!this.data.can_edit || this.isEditing(row, period, code)) {
            return;
        }
        this.state.editing = this.editState(row, period, code);
    }

    /** The cell `step` cells right (left if negative) of `editing` in its row. */
    neighbour(editing, step) {
        const codes = this.visibleColumns.map((column) => column.code);
        const row = this.data.rows.find((r) => r.product_id === editing.productId);
        const position = editing.period * codes.length + codes.indexOf(editing.code) + step;
        if (!row || position < 0 || position >= codes.length * this.data.periods.length) {
            return null;
        }
        const period = Math.floor(position / codes.length);
        return this.editState(row, period, codes[position % codes.length]);
    }

    /** Identifies the cell an input edits. */
    editKey(editing) {
        return `${editing.productId}/${editing.period}/${editing.code}`;
    }

    onInputKeydown(ev) {
        if (ev.key === "Enter") {
            ev.preventDefault();
            return this.commit(ev.target);
        }
        if (ev.key === "Tab") {
            ev.preventDefault();
            return this.commit(ev.target, ev.shiftKey ? -1 : 1);
        }
        if (ev.key === "Escape") {
            ev.preventDefault();
            ev.stopPropagation();
            this.state.editing = null;
        }
    }

    onInputBlur(ev) {
        return this.commit(ev.target);
    }

    /**
     * Save what was typed in `input` (an empty cell removes the override),
     * then edit the cell `step` cells further in the row, if any. An input
     * of a cell no longer edited (e.g. blurred after Tab moved on) is ignored.
     */
    async commit(input, step = 0) {
        const editing = this.state.editing;
        if (!editing || input.dataset.key !== this.editKey(editing)) {
            return;
        }
        const text = input.value.trim();
        this.state.editing = step ? this.neighbour(editing, step) : null;
        if (text === editing.text) {
            return;
        }
        let value = false;
        if (text) {
            try {
                value = parseFloat(text);
            } catch {
                this.notification.add(_t("“%s” is not a number.", text), { type: "danger" });
                return;
            }
        }
        await this.orm.call(MODEL, "set_override", [
            [this.props.record.resId],
            editing.productId,
            editing.period,
            editing.code,
            value,
        ]);
        await this.load();
        // The Overrides tab of the form lists them: read it again unless the
        // user has changes of their own there.
        if (!this.props.record.dirty) {
            await this.props.record.load();
        }
    }

    // ---------------------------------------------------------- explain
    /** Every column but the unit cost is made of move lines. */
    canExplain(code) {
        return code !== "unit_cost";
    }

    /** Open the move lines behind a cell (`action_explain_cell`). */
    async explainCell(row, period, code) {
        const action = await this.orm.call(MODEL, "action_explain_cell", [
            [this.props.record.resId],
            row.product_id,
            period,
            code,
        ]);
        return this.action.doAction(action);
    }

    // ---------------------------------------------------------- columns
    toggleColumns() {
        this.state.showColumns = !this.state.showColumns;
    }

    saveColumns(columns) {
        return this.orm
            .call(MODEL, "set_grid_columns", [
                [this.props.record.resId],
                columns.map((column) => column.code),
                columns.filter((column) => column.visible).map((column) => column.code),
            ])
            .then(() => this.load());
    }

    moveColumn(index, step) {
        const columns = [...this.data.columns];
        const target = index + step;
        if (target < 0 || target >= columns.length) {
            return;
        }
        [columns[index], columns[target]] = [columns[target], columns[index]];
        return this.saveColumns(columns);
    }

    // ------------------------------------------------------------ rows
    /** Move a product's row one place up (-1) or down (1) in its group. */
    async moveRow(row, step) {
        await this.orm.call(MODEL, "move_row", [[this.props.record.resId], row.product_id, step]);
        return this.load();
    }

    toggleColumn(index) {
        const columns = this.data.columns.map((column, i) =>
            i === index ? { ...column, visible: !column.visible } : column
        );
        return this.saveColumns(columns);
    }
}

export const inventoryBalanceSheetGrid = {
    component: InventoryBalanceSheetGrid,
};

registry.category("view_widgets").add("inventory_balance_sheet_grid", inventoryBalanceSheetGrid);
